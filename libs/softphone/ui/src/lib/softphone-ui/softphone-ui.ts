import { Component } from '@angular/core';

@Component({
  selector: 'sb-softphone-ui',
  imports: [],
  templateUrl: './softphone-ui.html',
  styleUrl: './softphone-ui.scss'
})
export class SoftphoneUi {}
