import { Component } from '@angular/core';

@Component({
  selector: 'sb-softphone-feature-settings',
  imports: [],
  templateUrl: './softphone-feature-settings.html',
  styleUrl: './softphone-feature-settings.scss'
})
export class SoftphoneFeatureSettings {}
