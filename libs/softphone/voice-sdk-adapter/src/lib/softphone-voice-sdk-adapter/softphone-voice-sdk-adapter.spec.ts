import { ComponentFixture, TestBed } from '@angular/core/testing';
import { SoftphoneVoiceSdkAdapter } from './softphone-voice-sdk-adapter';

describe('SoftphoneVoiceSdkAdapter', () => {
  let component: SoftphoneVoiceSdkAdapter;
  let fixture: ComponentFixture<SoftphoneVoiceSdkAdapter>;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [SoftphoneVoiceSdkAdapter]
    }).compileComponents();

    fixture = TestBed.createComponent(SoftphoneVoiceSdkAdapter);
    component = fixture.componentInstance;
    await fixture.whenStable();
  });

  it('should create', () => {
    expect(component).toBeTruthy();
  });
});
