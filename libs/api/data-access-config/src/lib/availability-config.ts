import type { AvailabilityOption } from '@switchboard/shared-contracts';

/** Agent availability (issue 13): the lists agents choose from and how long wrap-up lasts. */
export interface AvailabilityConfig {
  /** AWAY_REASONS: what an agent may be away for. */
  readonly awayReasons: readonly AvailabilityOption[];
  /** DISPOSITION_CODES: how an agent closes a wrap-up. */
  readonly dispositionCodes: readonly AvailabilityOption[];
  /** WRAP_UP_SECONDS: a wrap-up ends by itself this long after the call; 0 = only the agent ends it. */
  readonly wrapUpSeconds: number;
}

export const DEFAULT_AWAY_REASONS = 'break:Break,meeting:Meeting,training:Training,lunch:Lunch';
export const DEFAULT_DISPOSITION_CODES = 'resolved:Resolved,follow-up:Follow-up needed,escalated:Escalated,no-resolution:No resolution';

/** An id is stored and sent in URLs and bodies: short, lower-case, no spaces. */
const OPTION_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const LABEL_MAX = 60;

/**
 * Parses `id:Label,id:Label`: ids are unique and match OPTION_ID, labels are 1-60 characters (a label may
 * contain a colon; the first one separates). A bad list is refused whole (fail closed), naming the variable.
 */
export function readOptionList(
  name: string, fallback: string, read: (name: string) => string | undefined, problems: string[],
): readonly AvailabilityOption[] {
  const raw = read(name) ?? fallback;
  const rule = `${name} must be a comma-separated list of id:Label (ids unique, a-z 0-9 _ - up to 40 characters; labels 1-${LABEL_MAX} characters)`;
  const options: AvailabilityOption[] = [];
  for (const entry of raw.split(',')) {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon).trim();
    const label = colon < 0 ? '' : entry.slice(colon + 1).trim();
    if (!OPTION_ID.test(id) || label.length === 0 || label.length > LABEL_MAX || options.some((o) => o.id === id)) {
      problems.push(rule);
      return parseDefault(fallback);
    }
    options.push(Object.freeze({ id, label }));
  }
  return Object.freeze(options);
}

function parseDefault(fallback: string): readonly AvailabilityOption[] {
  return Object.freeze(fallback.split(',').map((entry) => {
    const [id, label] = entry.split(':');
    return Object.freeze({ id, label });
  }));
}

export function readAvailabilityConfig(
  read: (name: string) => string | undefined,
  integer: (name: string, fallback: number, min: number, max: number, hint?: string) => number,
  problems: string[],
): AvailabilityConfig {
  return {
    awayReasons: readOptionList('AWAY_REASONS', DEFAULT_AWAY_REASONS, read, problems),
    dispositionCodes: readOptionList('DISPOSITION_CODES', DEFAULT_DISPOSITION_CODES, read, problems),
    wrapUpSeconds: integer('WRAP_UP_SECONDS', 60, 0, 3600, ' (seconds; 0 = wrap-up lasts until the agent ends it)'),
  };
}
