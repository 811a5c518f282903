import { Component } from '@angular/core';

@Component({
  selector: 'sb-softphone-data-access-api',
  imports: [],
  templateUrl: './softphone-data-access-api.html',
  styleUrl: './softphone-data-access-api.scss'
})
export class SoftphoneDataAccessApi {}
