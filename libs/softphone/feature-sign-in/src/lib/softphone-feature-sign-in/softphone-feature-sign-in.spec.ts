import { ComponentFixture, TestBed } from '@angular/core/testing';
import { SoftphoneFeatureSignIn } from './softphone-feature-sign-in';

describe('SoftphoneFeatureSignIn', () => {
  let component: SoftphoneFeatureSignIn;
  let fixture: ComponentFixture<SoftphoneFeatureSignIn>;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [SoftphoneFeatureSignIn]
    }).compileComponents();

    fixture = TestBed.createComponent(SoftphoneFeatureSignIn);
    component = fixture.componentInstance;
    await fixture.whenStable();
  });

  it('should create', () => {
    expect(component).toBeTruthy();
  });
});
