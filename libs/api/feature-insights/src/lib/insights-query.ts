import { ApiPropertyOptional } from '@nestjs/swagger';
import { badField } from '@switchboard/api-http-boundary';
import type { InsightsFilter } from '@switchboard/api-data-access-db';
import {
  IDENTITY_PATTERN, IDENTITY_RULE, QUALITY_BANDS, type CallDirection, type InsightsQuery, type QualityBand,
} from '@switchboard/shared-contracts';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';

const DIRECTIONS: readonly CallDirection[] = ['inbound', 'outbound'];
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** The longest range a report covers, in calendar days (a leap year). */
export const INSIGHTS_MAX_DAYS = 366;
/** The default range: this many days ending today. */
export const INSIGHTS_DEFAULT_DAYS = 7;

/**
 * The query string of the report and the CSV. The global ValidationPipe checks each field's shape (and
 * rejects unknown ones), naming the field; `toInsightsFilter` checks what one field cannot (a real
 * calendar date, from ≤ to, the range's length).
 */
export class InsightsQueryDto implements InsightsQuery {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'First day (inclusive), in FLOOR_TIME_ZONE; default 6 days before `to`' })
  @IsOptional() @IsString() @Matches(DAY_PATTERN, { message: 'from must be a date, YYYY-MM-DD' })
  readonly from?: string;

  @ApiPropertyOptional({ example: '2026-12-07', description: 'Last day (inclusive), in FLOOR_TIME_ZONE; default today, or 6 days after `from` when that is earlier' })
  @IsOptional() @IsString() @Matches(DAY_PATTERN, { message: 'to must be a date, YYYY-MM-DD' })
  readonly to?: string;

  @ApiPropertyOptional({ example: 'alice', description: "An agent's identity" })
  @IsOptional() @IsString() @Matches(IDENTITY_PATTERN, { message: `agent must be an identity: ${IDENTITY_RULE}` })
  readonly agent?: string;

  @ApiPropertyOptional({ enum: DIRECTIONS })
  @IsOptional() @IsIn(DIRECTIONS, { message: `direction must be one of ${DIRECTIONS.join(', ')}` })
  readonly direction?: CallDirection;

  @ApiPropertyOptional({ enum: QUALITY_BANDS })
  @IsOptional() @IsIn(QUALITY_BANDS, { message: `band must be one of ${QUALITY_BANDS.join(', ')}` })
  readonly band?: QualityBand;
}

/** Today's calendar date in `timeZone`, YYYY-MM-DD. */
export function todayIn(timeZone: string, now: Date): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Days since the epoch of a YYYY-MM-DD date, or null when it is not a real calendar date (2026-02-30). */
function dayNumber(day: string): number | null {
  const [year, month, date] = day.split('-').map(Number);
  const ms = Date.UTC(year, month - 1, date);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== date) return null;
  return ms / 86_400_000;
}
const dayOf = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

/** The validated filter: defaults filled in (the last 7 days ending today in the zone); 400 naming the field otherwise. */
export function toInsightsFilter(query: InsightsQuery, timeZone: string, now: Date): InsightsFilter {
  const given = (field: 'from' | 'to') => {
    const value = query[field];
    if (value === undefined) return null;
    const n = dayNumber(value);
    if (n === null) throw badField(field, `${field} is not a calendar date: ${value}`);
    return n;
  };
  const fromGiven = given('from');
  const toGiven = given('to');
  const to = toGiven ?? (fromGiven !== null ? Math.min(fromGiven + INSIGHTS_DEFAULT_DAYS - 1, dayNumber(todayIn(timeZone, now)) as number) : dayNumber(todayIn(timeZone, now)) as number);
  const from = fromGiven ?? to - (INSIGHTS_DEFAULT_DAYS - 1);
  if (from > to) throw badField('from', 'from must be on or before to');
  if (to - from + 1 > INSIGHTS_MAX_DAYS) throw badField('to', `The range is at most ${INSIGHTS_MAX_DAYS} days`);
  return {
    from: dayOf(from), to: dayOf(to), timeZone,
    agent: query.agent ?? null, direction: query.direction ?? null, band: query.band ?? null,
  };
}
