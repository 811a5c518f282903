import { AdminFailure, UsageError } from './admin-errors';

/** What the admin command line reads passwords from: stdin may be a terminal or a pipe. */
export interface PasswordSource {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** Same bounds as sign-in accepts at the top, and a floor fit for an account on the public internet. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/**
 * The new password: ADMIN_PASSWORD if set, else typed at a terminal (not echoed, asked twice), else the
 * first line piped on stdin. Never from argv, which shell history and `ps` keep.
 */
export async function readNewPassword(source: PasswordSource, identity: string): Promise<string> {
  const fromEnv = source.env['ADMIN_PASSWORD'];
  let password: string;
  if (fromEnv !== undefined && fromEnv !== '') {
    password = fromEnv;
  } else if (source.stdin.isTTY && source.stdin.setRawMode) {
    password = await promptHidden(source, `New password for ${identity}: `);
    if (password.length >= PASSWORD_MIN_LENGTH && await promptHidden(source, 'Repeat it: ') !== password) {
      throw new AdminFailure('The two passwords differ; nothing was changed. Run the command again.');
    }
  } else {
    const line = await readFirstLine(source.stdin);
    if (line === null) {
      throw new UsageError('No password given. Set ADMIN_PASSWORD, type it at a terminal, or pipe it on stdin (printf \'%s\\n\' "$PW" | npm run admin -- ...).');
    }
    password = line;
  }
  return checkPassword(password);
}

export function checkPassword(password: string): string {
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    throw new UsageError(`The password is too short: use at least ${PASSWORD_MIN_LENGTH} characters (a passphrase of a few words is best).`);
  }
  if (password.length > PASSWORD_MAX_LENGTH) throw new UsageError(`The password is too long: at most ${PASSWORD_MAX_LENGTH} characters.`);
  if (hasControlCharacters(password)) throw new UsageError('The password contains control characters (a stray tab or escape?); type it again.');
  return password;
}

/** Reads one line with the terminal in raw mode, so nothing typed is echoed. Ctrl-C and Ctrl-D cancel. */
function promptHidden(source: PasswordSource, prompt: string): Promise<string> {
  const { stdin, stderr } = source;
  stderr.write(prompt);
  stdin.setRawMode?.(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      stderr.write('\n');
      outcome();
    };
    const onData = (chunk: string | Buffer) => {
      for (const character of String(chunk)) {
        if (character === '\r' || character === '\n') return finish(() => resolve(typed));
        if (character === '\u0003' || character === '\u0004') return finish(() => reject(new AdminFailure('Cancelled; nothing was changed.')));
        if (character === '\u007f' || character === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += character;
      }
    };
    stdin.on('data', onData);
  });
}

/** The first line of a piped stdin without its line ending; null when stdin is empty. */
async function readFirstLine(stdin: NodeJS.ReadableStream): Promise<string | null> {
  let data = '';
  for await (const chunk of stdin) {
    data += String(chunk);
    if (data.includes('\n') || data.length > PASSWORD_MAX_LENGTH * 4) break;
  }
  if (data === '') return null;
  return data.split('\n')[0].replace(/\r$/, '');
}

/** C0 controls and DEL: a stray tab, escape sequence or newline in something typed. */
export function hasControlCharacters(text: string): boolean {
  return [...text].some((character) => character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f);
}
