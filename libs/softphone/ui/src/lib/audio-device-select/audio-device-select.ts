import { ChangeDetectionStrategy, Component, booleanAttribute, computed, input, output } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { DEFAULT_AUDIO_DEVICE_ID, type AudioDevice } from '@switchboard/shared-voice-model';

/** A microphone or speaker picker. Unlabelled devices (no permission yet) get a numbered name. */
@Component({
  selector: 'sb-audio-device-select',
  imports: [MatFormFieldModule, MatSelectModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-form-field appearance="outline" class="field" subscriptSizing="dynamic">
      <mat-label>{{ label() }}</mat-label>
      <mat-select [value]="selectedId() ?? defaultId" [disabled]="disabled() || options().length === 0"
                  (selectionChange)="selected.emit($event.value)" [attr.data-testid]="testId()">
        @for (device of options(); track device.deviceId) {
          <mat-option [value]="device.deviceId">{{ device.label }}</mat-option>
        }
      </mat-select>
      @if (hint(); as text) { <mat-hint>{{ text }}</mat-hint> }
    </mat-form-field>
  `,
  styles: `.field { width: 100%; }`,
})
export class AudioDeviceSelect {
  readonly label = input.required<string>();
  readonly devices = input<readonly AudioDevice[]>([]);
  readonly selectedId = input<string | null>(null);
  readonly disabled = input(false, { transform: booleanAttribute });
  readonly hint = input<string | null>(null);
  readonly testId = input('audio-device-select');
  readonly selected = output<string>();

  protected readonly defaultId = DEFAULT_AUDIO_DEVICE_ID;
  protected readonly options = computed(() =>
    this.devices().map((device, index) => ({
      deviceId: device.deviceId,
      label: device.label.trim() !== '' ? device.label : `${this.label()} ${index + 1}`,
    })),
  );
}
