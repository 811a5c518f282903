import { Component } from '@angular/core';

@Component({
  selector: 'sb-softphone-voice-sdk-adapter',
  imports: [],
  templateUrl: './softphone-voice-sdk-adapter.html',
  styleUrl: './softphone-voice-sdk-adapter.scss'
})
export class SoftphoneVoiceSdkAdapter {}
