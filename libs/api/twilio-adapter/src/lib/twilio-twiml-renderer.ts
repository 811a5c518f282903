import { Injectable } from '@nestjs/common';
import { TwimlPlan, TwimlRenderer } from '@switchboard/api-data-access-telephony';
// The TwiML module, not the package index (which loads the REST client: twilio-rest.ts says why not).
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';

/** The only place that builds TwiML, always through VoiceResponse (it escapes every value). */
@Injectable()
export class TwilioTwimlRenderer extends TwimlRenderer {
  /**
   * `<Hangup/>` alone has no parameter, so its text never changes: built once (still by VoiceResponse) rather
   * than per request. It is the answer to every answered dial's dial-complete webhook, the busiest TwiML route.
   */
  private readonly hangUpXml = this.build({ kind: 'hang-up' });

  render(plan: TwimlPlan): string {
    return plan.kind === 'hang-up' ? this.hangUpXml : this.build(plan);
  }

  private build(plan: TwimlPlan): string {
    const response = new VoiceResponse();
    switch (plan.kind) {
      case 'dial-clients': {
        if (plan.greeting) response.say(plan.greeting);
        const dial = response.dial({
          timeout: plan.timeoutSeconds,
          action: plan.actionUrl,
          method: 'POST',
          answerOnBridge: plan.answerOnBridge,
          ...(plan.callerId ? { callerId: plan.callerId } : {}),
        });
        for (const identity of plan.identities) dial.client(identity);
        break;
      }
      case 'dial-number': {
        const dial = response.dial({
          callerId: plan.callerId,
          answerOnBridge: true,
          timeout: plan.timeoutSeconds,
          timeLimit: plan.timeLimitSeconds,
          action: plan.actionUrl,
          method: 'POST',
        });
        dial.number({
          statusCallback: plan.statusCallbackUrl,
          statusCallbackMethod: 'POST',
          statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
        }, plan.number);
        break;
      }
      case 'dial-conference': {
        const dial = response.dial({
          action: plan.actionUrl,
          method: 'POST',
          ...(plan.timeLimitSeconds === undefined ? {} : { timeLimit: plan.timeLimitSeconds }),
        });
        dial.conference({
          participantLabel: plan.participantLabel,
          startConferenceOnEnter: plan.startConferenceOnEnter,
          endConferenceOnExit: plan.endConferenceOnExit,
          beep: plan.beep ? 'true' : 'false',
          ...(plan.waitUrl === undefined ? {} : { waitUrl: plan.waitUrl, waitMethod: plan.waitMethod ?? 'GET' }),
          ...(plan.muted === true ? { muted: true } : {}),
          ...(plan.coachCallSid === undefined ? {} : { coach: plan.coachCallSid }),
          statusCallback: plan.statusCallbackUrl,
          statusCallbackMethod: 'POST',
          statusCallbackEvent: [...plan.statusCallbackEvents],
        }, plan.conferenceName);
        break;
      }
      case 'voicemail':
        response.say(plan.greeting);
        response.record({
          maxLength: plan.maxLengthSeconds,
          playBeep: true,
          timeout: 5,
          finishOnKey: '#',
          action: plan.actionUrl,
          method: 'POST',
          recordingStatusCallback: plan.recordingStatusCallbackUrl,
          recordingStatusCallbackMethod: 'POST',
          recordingStatusCallbackEvent: ['completed', 'absent'],
        });
        response.hangup();
        break;
      case 'say-and-hang-up':
        response.say(plan.message);
        response.hangup();
        break;
      case 'hang-up':
        response.hangup();
        break;
      case 'line-test':
        response.say(plan.message);
        response.pause({ length: plan.pauseSeconds });
        response.hangup();
        break;
      case 'reject':
        response.reject({ reason: plan.reason });
        break;
    }
    return response.toString();
  }
}
