import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PcmAudio, SANDBOX_SAMPLE_RATE } from '@switchboard/sandbox-model';
import { encodeWav } from '@switchboard/sandbox-util-audio';
import { RecordingMetadata, RecordingStore } from '../ports';

const RECORDING_SID = /^RE[0-9a-f]{32}$/;

export function newRecordingSid(): string {
  return `RE${randomBytes(16).toString('hex')}`;
}

/** Recordings as `<dir>/<RE…>.wav` plus `<RE…>.json` metadata; survives sandbox restarts. */
export class FileRecordingStore implements RecordingStore {
  constructor(private readonly directory: string) {}

  async save(recording: { accountSid: string; callSid: string; audio: PcmAudio; dateCreated: number }): Promise<RecordingMetadata> {
    const metadata: RecordingMetadata = {
      sid: newRecordingSid(),
      accountSid: recording.accountSid,
      callSid: recording.callSid,
      durationSeconds: Math.round(recording.audio.samples.length / SANDBOX_SAMPLE_RATE),
      dateCreated: recording.dateCreated,
      channels: 1,
      source: 'RecordVerb',
      status: 'completed',
    };
    await mkdir(this.directory, { recursive: true });
    await writeFile(join(this.directory, `${metadata.sid}.wav`), encodeWav(recording.audio));
    await writeFile(join(this.directory, `${metadata.sid}.json`), JSON.stringify(metadata));
    return metadata;
  }

  async get(accountSid: string, recordingSid: string): Promise<{ metadata: RecordingMetadata; wav: Buffer } | undefined> {
    // The SID becomes a file name: only exact RE+hex ever reaches the file system.
    if (!RECORDING_SID.test(recordingSid)) return undefined;
    try {
      const metadata = JSON.parse(await readFile(join(this.directory, `${recordingSid}.json`), 'utf8')) as RecordingMetadata;
      if (metadata.accountSid !== accountSid) return undefined;
      return { metadata, wav: await readFile(join(this.directory, `${recordingSid}.wav`)) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async remove(accountSid: string, recordingSid: string): Promise<boolean> {
    if (!(await this.get(accountSid, recordingSid))) return false;
    // Metadata last: a crash in between leaves a recording that still lists and can be deleted again.
    await rm(join(this.directory, `${recordingSid}.wav`), { force: true });
    await rm(join(this.directory, `${recordingSid}.json`), { force: true });
    return true;
  }
}
