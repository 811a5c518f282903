import { ComponentFixture, TestBed } from '@angular/core/testing';
import { SoftphoneFeaturePanel } from './softphone-feature-panel';

describe('SoftphoneFeaturePanel', () => {
  let component: SoftphoneFeaturePanel;
  let fixture: ComponentFixture<SoftphoneFeaturePanel>;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [SoftphoneFeaturePanel]
    }).compileComponents();

    fixture = TestBed.createComponent(SoftphoneFeaturePanel);
    component = fixture.componentInstance;
    await fixture.whenStable();
  });

  it('should create', () => {
    expect(component).toBeTruthy();
  });
});
