import { ComponentFixture, TestBed } from '@angular/core/testing';
import { SoftphoneFeatureHistory } from './softphone-feature-history';

describe('SoftphoneFeatureHistory', () => {
  let component: SoftphoneFeatureHistory;
  let fixture: ComponentFixture<SoftphoneFeatureHistory>;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [SoftphoneFeatureHistory]
    }).compileComponents();

    fixture = TestBed.createComponent(SoftphoneFeatureHistory);
    component = fixture.componentInstance;
    await fixture.whenStable();
  });

  it('should create', () => {
    expect(component).toBeTruthy();
  });
});
