import { Component } from '@angular/core';

@Component({
  selector: 'sb-softphone-data-access-voice',
  imports: [],
  templateUrl: './softphone-data-access-voice.html',
  styleUrl: './softphone-data-access-voice.scss'
})
export class SoftphoneDataAccessVoice {}
