import { Component } from '@angular/core';

@Component({
  selector: 'sb-softphone-feature-history',
  imports: [],
  templateUrl: './softphone-feature-history.html',
  styleUrl: './softphone-feature-history.scss'
})
export class SoftphoneFeatureHistory {}
