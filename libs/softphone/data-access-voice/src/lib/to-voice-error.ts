import { describeAppError, describeVoiceError, type AppErrorName, type VoiceErrorInfo } from '@switchboard/shared-voice-model';

/** Anything thrown across the port, as a VoiceErrorInfo; `fallback` names it when it has no SDK code. */
export function toVoiceError(error: unknown, fallback: AppErrorName): VoiceErrorInfo {
  if (typeof error === 'object' && error !== null) {
    const record = error as Record<string, unknown>;
    if (typeof record['category'] === 'string' && typeof record['nextStep'] === 'string' && typeof record['name'] === 'string') {
      return error as VoiceErrorInfo;
    }
    if (typeof record['code'] === 'number') {
      return describeVoiceError(record['code'], typeof record['message'] === 'string' ? record['message'] : undefined);
    }
  }
  return describeAppError(fallback);
}
