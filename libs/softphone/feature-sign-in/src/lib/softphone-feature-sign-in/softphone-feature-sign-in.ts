import { Component } from '@angular/core';

@Component({
  selector: 'sb-softphone-feature-sign-in',
  imports: [],
  templateUrl: './softphone-feature-sign-in.html',
  styleUrl: './softphone-feature-sign-in.scss'
})
export class SoftphoneFeatureSignIn {}
