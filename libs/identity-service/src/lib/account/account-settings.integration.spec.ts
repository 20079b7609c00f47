import { IdentityPatterns as P } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { failure, FakeClock, IdentityUnderTest, startIdentity } from '../../test-support/harness';
import { CREDENTIAL_REPORT_LIFETIME_MS } from './account-settings.service';

describeWithServices('the account alias and the credential report state', () => {
  const clock = new FakeClock();
  let identity: IdentityUnderTest;

  beforeAll(async () => {
    identity = await startIdentity({ ports: { clock } });
  });

  afterAll(async () => {
    await identity?.close();
  });

  describe('account alias', () => {
    it('has none at first, one once created, a new one replacing it, none after delete', async () => {
      const bus = identity.bus;
      await expect(bus.send(P.ListAccountAliases, {})).resolves.toEqual({ AccountAliases: [] });
      await bus.send(P.CreateAccountAlias, { AccountAlias: 'example-corp' });
      await expect(bus.send(P.ListAccountAliases, {})).resolves.toEqual({ AccountAliases: ['example-corp'] });
      await bus.send(P.CreateAccountAlias, { AccountAlias: 'example-corp' });
      await bus.send(P.CreateAccountAlias, { AccountAlias: 'renamed-corp' });
      await expect(bus.send(P.ListAccountAliases, {})).resolves.toEqual({ AccountAliases: ['renamed-corp'] });

      await expect(failure(bus.send(P.DeleteAccountAlias, { AccountAlias: 'example-corp' }))).resolves.toEqual({
        code: 'NoSuchEntity',
        message: 'The account alias example-corp cannot be found.',
      });
      await expect(bus.send(P.ListAccountAliases, {})).resolves.toEqual({ AccountAliases: ['renamed-corp'] });
      await bus.send(P.DeleteAccountAlias, { AccountAlias: 'renamed-corp' });
      await expect(bus.send(P.ListAccountAliases, {})).resolves.toEqual({ AccountAliases: [] });
      await expect(failure(bus.send(P.DeleteAccountAlias, { AccountAlias: 'renamed-corp' }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
    });

    it.each(['ab', 'Upper-case', '-leading', 'trailing-', 'double--hyphen', 'under_score', 'a'.repeat(64)])(
      'refuses %p with ValidationError and stores nothing',
      async (AccountAlias) => {
        await expect(failure(identity.bus.send(P.CreateAccountAlias, { AccountAlias }))).resolves.toMatchObject({ code: 'ValidationError' });
        await expect(identity.bus.send(P.ListAccountAliases, {})).resolves.toEqual({ AccountAliases: [] });
      },
    );

    it('accepts the shortest and longest names AWS allows', async () => {
      for (const AccountAlias of ['a1b', `a${'-b'.repeat(30)}c`]) {
        await identity.bus.send(P.CreateAccountAlias, { AccountAlias });
        await expect(identity.bus.send(P.ListAccountAliases, {})).resolves.toEqual({ AccountAliases: [AccountAlias] });
      }
    });
  });

  describe('credential report', () => {
    it('is not present before the first generation, STARTED then COMPLETE, expired after four hours, STARTED again', async () => {
      const bus = identity.bus;
      await expect(failure(bus.send(P.GetCredentialReportState, {}))).resolves.toMatchObject({ code: 'ReportNotPresent' });
      await expect(bus.send(P.GenerateCredentialReport, {})).resolves.toEqual({ State: 'STARTED' });
      const generated = clock.now().toISOString();
      await expect(bus.send(P.GetCredentialReportState, {})).resolves.toEqual({ GeneratedTime: generated });

      clock.advance(60_000);
      await expect(bus.send(P.GenerateCredentialReport, {})).resolves.toEqual({ State: 'COMPLETE' });
      await expect(bus.send(P.GetCredentialReportState, {})).resolves.toEqual({ GeneratedTime: generated });

      clock.advance(CREDENTIAL_REPORT_LIFETIME_MS);
      await expect(failure(bus.send(P.GetCredentialReportState, {}))).resolves.toMatchObject({ code: 'ReportExpired' });
      await expect(bus.send(P.GenerateCredentialReport, {})).resolves.toEqual({ State: 'STARTED' });
      await expect(bus.send(P.GetCredentialReportState, {})).resolves.toEqual({ GeneratedTime: clock.now().toISOString() });
    });

    it('answers STARTED once when many ask at the same moment', async () => {
      clock.advance(CREDENTIAL_REPORT_LIFETIME_MS);
      const states = await Promise.all(Array.from({ length: 12 }, () => identity.bus.send(P.GenerateCredentialReport, {})));
      expect(states.filter((s) => s.State === 'STARTED')).toHaveLength(1);
      expect(states.filter((s) => s.State === 'COMPLETE')).toHaveLength(11);
    });
  });
});
