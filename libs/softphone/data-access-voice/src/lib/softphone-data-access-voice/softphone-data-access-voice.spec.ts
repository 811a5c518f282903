import { ComponentFixture, TestBed } from '@angular/core/testing';
import { SoftphoneDataAccessVoice } from './softphone-data-access-voice';

describe('SoftphoneDataAccessVoice', () => {
  let component: SoftphoneDataAccessVoice;
  let fixture: ComponentFixture<SoftphoneDataAccessVoice>;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [SoftphoneDataAccessVoice]
    }).compileComponents();

    fixture = TestBed.createComponent(SoftphoneDataAccessVoice);
    component = fixture.componentInstance;
    await fixture.whenStable();
  });

  it('should create', () => {
    expect(component).toBeTruthy();
  });
});
