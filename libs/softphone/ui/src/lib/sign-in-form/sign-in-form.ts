import { ChangeDetectionStrategy, Component, booleanAttribute, effect, inject, input, output } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { ApiErrorBody, LoginRequest } from '@switchboard/shared-contracts';

/** Identity and password, and the API's answer when it said no. */
@Component({
  selector: 'sb-sign-in-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './sign-in-form.html',
  styleUrl: './sign-in-form.scss',
})
export class SignInForm {
  readonly busy = input(false, { transform: booleanAttribute });
  /** Submitting is refused for now (the API said 429); the fields stay editable. */
  readonly blocked = input(false, { transform: booleanAttribute });
  readonly error = input<ApiErrorBody | null>(null);
  readonly submitted = output<LoginRequest>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    identity: ['', [Validators.required, Validators.maxLength(64)]],
    password: ['', [Validators.required, Validators.maxLength(256)]],
  });

  constructor() {
    // A disabled form cannot be submitted twice while the request is in flight.
    effect(() => (this.busy() ? this.form.disable() : this.form.enable()));
  }

  protected submit(): void {
    if (this.busy() || this.blocked()) return;
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { identity, password } = this.form.getRawValue();
    this.submitted.emit({ identity: identity.trim(), password });
  }
}
