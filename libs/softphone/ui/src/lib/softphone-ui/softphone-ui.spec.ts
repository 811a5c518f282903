import { ComponentFixture, TestBed } from '@angular/core/testing';
import { SoftphoneUi } from './softphone-ui';

describe('SoftphoneUi', () => {
  let component: SoftphoneUi;
  let fixture: ComponentFixture<SoftphoneUi>;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [SoftphoneUi]
    }).compileComponents();

    fixture = TestBed.createComponent(SoftphoneUi);
    component = fixture.componentInstance;
    await fixture.whenStable();
  });

  it('should create', () => {
    expect(component).toBeTruthy();
  });
});
