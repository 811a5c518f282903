import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatBadgeModule } from '@angular/material/badge';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTabsModule } from '@angular/material/tabs';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { Store } from '@ngrx/store';
import { SessionStore, SIGN_IN_PATH, VoicemailInboxStore } from '@switchboard/softphone-data-access-api';
import { LeaveCallsBeforeSignOut, SoftphonePanelActions, connectionFeature, selectSoftphoneViewModel } from '@switchboard/softphone-data-access-voice';
import { ConnectionBadge, IncomingCallCard, ThemeToggle, partyText } from '@switchboard/softphone-ui';
import { injectPartyNamer } from './agent-directory';
import { AvailabilityStatus } from './availability-status';
import { nextRetryAt } from './retry-countdown';
import { announceSoftphoneChanges } from './softphone-announcer';
import { shortcutAction } from './softphone-shortcuts';
import { ThemePreferenceStore } from './theme-preference';

/**
 * The frame around every signed-in screen: status chip, navigation, theme, sign-out, the ringing
 * card (so a call is never missed on another screen), keyboard shortcuts and announcements.
 */
@Component({
  selector: 'sb-softphone-shell',
  imports: [
    MatBadgeModule, MatButtonModule, MatIconModule, MatTabsModule, MatToolbarModule, MatTooltipModule,
    RouterLink, RouterLinkActive, RouterOutlet, AvailabilityStatus, ConnectionBadge, IncomingCallCard, ThemeToggle,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:keydown)': 'onKeydown($event)' },
  template: `
    <mat-toolbar class="bar">
      <span class="brand"><mat-icon aria-hidden="true">headset_mic</mat-icon><span class="name">Switchboard</span></span>
      <!-- The one status chip: in the toolbar, so it shows on every screen. -->
      <sb-connection-badge [status]="vm().status" [nextRetryAt]="retryAt()" />
      <!-- Availability (status menu, Alt+S) beside the phone's state: whether calls are offered at all. -->
      <sb-availability-status />
      <span class="spacer"></span>
      <sb-theme-toggle [preference]="theme.preference()" (changed)="theme.set($event)" />
      <button matIconButton type="button" (click)="signOut()" [matTooltip]="'Sign out ' + (session.agent()?.displayName ?? '')"
              aria-label="Sign out" data-testid="sign-out-button">
        <mat-icon>logout</mat-icon>
      </button>
    </mat-toolbar>
    <nav mat-tab-nav-bar [tabPanel]="content" aria-label="Sections" class="tabs">
      <a mat-tab-link routerLink="/" routerLinkActive #phone="routerLinkActive" [routerLinkActiveOptions]="{ exact: true }"
         [active]="phone.isActive" data-testid="nav-phone">Phone</a>
      <a mat-tab-link routerLink="/history" routerLinkActive #history="routerLinkActive" [active]="history.isActive" data-testid="nav-history">
        <span [matBadge]="unheard() || null" matBadgeOverlap="false" matBadgeSize="small"
              [matBadgeDescription]="unheard() + ' unheard voicemail'" data-testid="unheard-count" [attr.data-count]="unheard()">History</span>
      </a>
      <a mat-tab-link routerLink="/settings" routerLinkActive #settings="routerLinkActive" [active]="settings.isActive" data-testid="nav-settings">Settings</a>
      @if (isSupervisor()) {
        <a mat-tab-link routerLink="/floor" routerLinkActive #floor="routerLinkActive" [active]="floor.isActive" data-testid="nav-floor">Floor</a>
        <a mat-tab-link routerLink="/insights" routerLinkActive #insights="routerLinkActive" [active]="insights.isActive" data-testid="nav-insights">Insights</a>
      }
    </nav>
    <mat-tab-nav-panel #content>
      @if (ringing(); as call) {
        <div class="ringing">
          <sb-incoming-call-card [call]="call" [caller]="caller()" [isCallWaiting]="!!vm().waitingCall"
                                 (accepted)="answer(call.callId)" (declined)="decline(call.callId)" (ignored)="ignore(call.callId)" />
        </div>
      }
      <router-outlet />
    </mat-tab-nav-panel>
  `,
  styles: `
    :host { display: flex; flex-direction: column; min-height: 100%; }
    .bar { gap: 8px; flex-wrap: wrap; height: auto; min-height: 56px; padding: 4px 8px; }
    .brand { display: inline-flex; align-items: center; gap: 6px; font: var(--mat-sys-title-medium); }
    .spacer { flex: 1; }
    .ringing { max-width: 480px; margin: 12px auto 0; padding: 0 12px; }
    @media (max-width: 420px) { .name { display: none; } }
  `,
})
export class SoftphoneShell {
  private readonly store = inject(Store);
  private readonly router = inject(Router);
  protected readonly session = inject(SessionStore);
  protected readonly theme = inject(ThemePreferenceStore);
  private readonly voicemails = inject(VoicemailInboxStore);
  private readonly leaveCalls = inject(LeaveCallsBeforeSignOut);
  private leavingForSignOut = false;
  protected readonly vm = this.store.selectSignal(selectSoftphoneViewModel);
  protected readonly retryAt = nextRetryAt(this.store.selectSignal(connectionFeature.selectRetry));
  protected readonly unheard = this.voicemails.unheard;
  /** The team floor's and Insights' tabs: supervisors only (the route and the API refuse anyone else too). */
  protected readonly isSupervisor = computed(() => this.session.agent()?.role === 'supervisor');
  private readonly partyOf = injectPartyNamer();

  /** The call to show on the ringing card: a fresh incoming call, or one waiting behind the live call. */
  protected readonly ringing = computed(() => {
    const call = this.vm().incomingCall ?? this.vm().waitingCall;
    return call
      ? { callId: call.callId, callSid: call.callSid, from: call.remote, to: '', customParameters: call.customParameters, isCallerVerified: call.isCallerVerified }
      : null;
  });
  protected readonly caller = computed(() => {
    const call = this.ringing();
    return call ? this.partyOf()(call.from) : null;
  });

  constructor() {
    announceSoftphoneChanges(this.vm, (address) => partyText(this.partyOf()(address)));
    if (this.voicemails.status() === 'idle') void this.voicemails.load();
  }

  protected onKeydown(event: KeyboardEvent): void {
    const action = shortcutAction(event, this.vm());
    if (!action) return;
    event.preventDefault();
    this.store.dispatch(action);
  }

  protected answer(callId: string): void {
    this.store.dispatch(SoftphonePanelActions.answerClicked({ callId }));
  }
  protected decline(callId: string): void {
    this.store.dispatch(SoftphonePanelActions.declineClicked({ callId }));
  }
  protected ignore(callId: string): void {
    this.store.dispatch(SoftphonePanelActions.ignoreClicked({ callId }));
  }

  protected async signOut(): Promise<void> {
    // A second click while the call is left would be a second hang-up press: the call ended here at once, without the API.
    if (this.leavingForSignOut) return;
    this.leavingForSignOut = true;
    try {
      // An anchored call is left through the API while the session still stands, so no rescue waits for us.
      await this.leaveCalls.leave();
    } finally {
      this.leavingForSignOut = false;
    }
    await this.session.signOut();
    await this.router.navigateByUrl(SIGN_IN_PATH);
  }
}
