import { ComponentFixture, TestBed } from '@angular/core/testing';
import { SoftphoneFeatureSettings } from './softphone-feature-settings';

describe('SoftphoneFeatureSettings', () => {
  let component: SoftphoneFeatureSettings;
  let fixture: ComponentFixture<SoftphoneFeatureSettings>;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [SoftphoneFeatureSettings]
    }).compileComponents();

    fixture = TestBed.createComponent(SoftphoneFeatureSettings);
    component = fixture.componentInstance;
    await fixture.whenStable();
  });

  it('should create', () => {
    expect(component).toBeTruthy();
  });
});
