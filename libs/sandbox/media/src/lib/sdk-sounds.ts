import { VOICE_SDK_SOUND_NAMES, type VoiceSdkSoundName } from '@switchboard/shared-sandbox-defaults';
import { concatPcm, encodeWav, silence } from '@switchboard/sandbox-util-audio';
import { dtmfTone, tone } from './tones';

/**
 * Short synthesized stand-ins for the SDK's 15 sounds (the real ones live on Twilio's CDN).
 * `incoming`/`outgoing` are North American ringback cadences, shortened; DTMF names are dual tones.
 */
export function sdkSoundWav(name: VoiceSdkSoundName): Buffer {
  switch (name) {
    case 'incoming':
      return encodeWav(concatPcm([tone([440, 480], 800), silence(400)]));
    case 'outgoing':
      return encodeWav(concatPcm([tone([440, 480], 400), silence(200)]));
    case 'disconnect':
      return encodeWav(concatPcm([tone([480, 620], 150), silence(50), tone([480, 620], 150)]));
    case 'dtmfs':
      return encodeWav(dtmfTone('*'));
    case 'dtmfh':
      return encodeWav(dtmfTone('#'));
    default:
      return encodeWav(dtmfTone(name.slice('dtmf'.length)));
  }
}

export function isSdkSoundName(name: string): name is VoiceSdkSoundName {
  return (VOICE_SDK_SOUND_NAMES as readonly string[]).includes(name);
}
