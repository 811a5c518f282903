import { ComponentFixture, TestBed } from '@angular/core/testing';
import { SoftphoneDataAccessApi } from './softphone-data-access-api';

describe('SoftphoneDataAccessApi', () => {
  let component: SoftphoneDataAccessApi;
  let fixture: ComponentFixture<SoftphoneDataAccessApi>;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [SoftphoneDataAccessApi]
    }).compileComponents();

    fixture = TestBed.createComponent(SoftphoneDataAccessApi);
    component = fixture.componentInstance;
    await fixture.whenStable();
  });

  it('should create', () => {
    expect(component).toBeTruthy();
  });
});
