import { csvCell, csvLine, insightsCsvChunks, INSIGHTS_CSV_HEADER } from './insights-csv';
import type { InsightsCsvRow } from '@switchboard/api-data-access-db';

describe('the Insights CSV', () => {
  it('quotes cells with commas, quotes, CR or LF, doubling quotes (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });

  it('neutralises formulas in text cells but leaves numbers alone', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('streams the header then one chunk per batch', async () => {
    const row: InsightsCsvRow = {
      id: 'x', endedAt: new Date('2026-12-01T10:00:00.000Z'), agent: 'Alice Agent (alice)', direction: 'inbound', band: 'fair',
      mosAvg: 3.9000000953674316, mosMin: 3, jitterMax: 12.5, lossMax: 0, warnings: ['high-rtt', 'low-mos'], browser: 'Chrome 131',
      os: 'Windows', sdkVersion: '2.12.1', edge: 'ashburn', networkType: null, microphone: 'Headset, USB', rating: 4,
    };
    async function* batches() { yield [row]; yield [row, row]; }
    const chunks: string[] = [];
    for await (const chunk of insightsCsvChunks(batches())) chunks.push(chunk);
    expect(chunks).toHaveLength(3);
    expect(chunks[0]).toBe(`${INSIGHTS_CSV_HEADER.join(',')}\r\n`);
    expect(chunks[1]).toBe('2026-12-01T10:00:00.000Z,Alice Agent (alice),inbound,fair,3.9,3,12.5,0,high-rtt;low-mos,Chrome 131,Windows,2.12.1,ashburn,,"Headset, USB",4\r\n');
  });
});
