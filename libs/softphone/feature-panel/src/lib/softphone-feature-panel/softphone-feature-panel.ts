import { Component } from '@angular/core';

@Component({
  selector: 'sb-softphone-feature-panel',
  imports: [],
  templateUrl: './softphone-feature-panel.html',
  styleUrl: './softphone-feature-panel.scss'
})
export class SoftphoneFeaturePanel {}
