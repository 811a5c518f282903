import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { AudioDeviceSelect } from './audio-device-select';

describe('AudioDeviceSelect', () => {
  it('lists devices (naming unlabelled ones), shows the chosen one and emits a new choice', async () => {
    const fixture = TestBed.createComponent(AudioDeviceSelect);
    fixture.componentRef.setInput('label', 'Microphone');
    fixture.componentRef.setInput('devices', [
      { deviceId: 'default', label: 'Default - Built-in', groupId: 'g1' },
      { deviceId: 'usb', label: '', groupId: 'g2' },
    ]);
    fixture.componentRef.setInput('selectedId', 'default');
    const chosen: string[] = [];
    fixture.componentInstance.selected.subscribe((id) => chosen.push(id));
    const select = await TestbedHarnessEnvironment.loader(fixture).getHarness(MatSelectHarness);
    expect(await select.getValueText()).toBe('Default - Built-in');
    await select.open();
    expect(await Promise.all((await select.getOptions()).map((o) => o.getText()))).toEqual(['Default - Built-in', 'Microphone 2']);
    await select.clickOptions({ text: 'Microphone 2' });
    expect(chosen).toEqual(['usb']);
  });

  it('is disabled with no devices', async () => {
    const fixture = TestBed.createComponent(AudioDeviceSelect);
    fixture.componentRef.setInput('label', 'Speaker');
    const select = await TestbedHarnessEnvironment.loader(fixture).getHarness(MatSelectHarness);
    expect(await select.isDisabled()).toBe(true);
  });
});
