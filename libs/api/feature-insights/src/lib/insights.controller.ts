import { Readable } from 'node:stream';
import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import { InsightsRepository } from '@switchboard/api-data-access-db';
import { RequireRole } from '@switchboard/api-http-boundary';
import { API_ROUTES, type InsightsReport } from '@switchboard/shared-contracts';
import type { FastifyReply } from 'fastify';
import { insightsCsvChunks } from './insights-csv';
import { InsightsQueryDto, toInsightsFilter } from './insights-query';

/** The supervisors' Insights over the per-call quality records: the report, and every record of it as CSV. */
@ApiTags('insights')
@Controller()
export class InsightsController {
  constructor(private readonly insights: InsightsRepository, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get(API_ROUTES.insights.report)
  @RequireRole('supervisor')
  @ApiOkResponse({ description: 'Totals, calls by band per day, breakdowns (top 20 + Other), top warnings and set-up failures' })
  @ApiBadRequestResponse({ description: 'A filter that is not valid (`field` names it): a date, a reversed or over-366-day range, direction, band, agent' })
  @ApiUnauthorizedResponse({ description: 'Not signed in' })
  @ApiForbiddenResponse({ description: 'Only supervisors see Insights' })
  report(@Query() query: InsightsQueryDto): Promise<InsightsReport> {
    return this.insights.report(toInsightsFilter(query, this.config.floor.timeZone, new Date()));
  }

  @Get(API_ROUTES.insights.csv)
  @RequireRole('supervisor')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'One line per call leg of the filtered range, oldest first (RFC 4180; formulas neutralised)' })
  @ApiBadRequestResponse({ description: 'As the report' })
  @ApiUnauthorizedResponse({ description: 'Not signed in' })
  @ApiForbiddenResponse({ description: 'Only supervisors export Insights' })
  async csv(@Query() query: InsightsQueryDto, @Res() reply: FastifyReply): Promise<void> {
    // Validated before the first byte: a bad filter is a 400 with a JSON body, not a broken download.
    const filter = toInsightsFilter(query, this.config.floor.timeZone, new Date());
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="switchboard-insights-${filter.from}-${filter.to}.csv"`)
      .header('cache-control', 'private, no-store');
    // Streamed: each keyset page of records becomes one chunk as it is read.
    await reply.send(Readable.from(insightsCsvChunks(this.insights.csvRows(filter))));
  }
}
