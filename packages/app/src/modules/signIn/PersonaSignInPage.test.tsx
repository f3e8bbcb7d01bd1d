import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import type { IdentityApi } from '@backstage/core-plugin-api';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { PersonaSignInPage } from './PersonaSignInPage';
import { PERSONA_STORAGE_KEY } from './personas';

const authUrl = 'http://localhost:7007/api/auth';
const server = setupServer();
registerMswTestHooks(server);

function identityResponse(userEntityRef: string, ownership: string[]) {
  return {
    profile: { displayName: userEntityRef },
    providerInfo: {},
    backstageIdentity: {
      token: 'header.eyJleHAiOjQxMDI0NDQ4MDB9.signature',
      expiresInSeconds: 3600,
      identity: {
        type: 'user',
        userEntityRef,
        ownershipEntityRefs: ownership,
      },
    },
  };
}

function render(onSignInSuccess: (identity: IdentityApi) => void) {
  return renderInTestApp(
    <PersonaSignInPage onSignInSuccess={onSignInSuccess} />,
    {
      apis: [
        mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
        mockApis.config({ data: { app: { title: 'Careplane' } } }),
      ],
    },
  );
}

describe('PersonaSignInPage', () => {
  beforeEach(() => window.localStorage.clear());

  it('signs in as the platform admin through its own provider, and forgets the persona on sign-out', async () => {
    const calls: string[] = [];
    server.use(
      http.get(`${authUrl}/platform-admin/refresh`, () => {
        calls.push('refresh');
        return HttpResponse.json(
          identityResponse('user:default/priya.shah', [
            'user:default/priya.shah',
            'group:default/platform-admins',
          ]),
        );
      }),
    );
    const onSignInSuccess = jest.fn();
    await render(onSignInSuccess);

    expect(screen.getByText('Platform admin')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Sign in as Priya Shah' }),
    );

    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalledTimes(1));
    const identity: IdentityApi = onSignInSuccess.mock.calls[0][0];
    expect(await identity.getBackstageIdentity()).toEqual({
      type: 'user',
      userEntityRef: 'user:default/priya.shah',
      ownershipEntityRefs: [
        'user:default/priya.shah',
        'group:default/platform-admins',
      ],
    });
    // A reload keeps the persona...
    expect(window.localStorage.getItem(PERSONA_STORAGE_KEY)).toBe(
      'platform-admin',
    );
    // ...and signing out forgets it, so the next sign-in asks again.
    await identity.signOut();
    expect(window.localStorage.getItem(PERSONA_STORAGE_KEY)).toBeNull();
    // (a proxy session has no server side to end: nothing more is called)
    expect(calls).toEqual(['refresh']);
  });

  it('signs in again as the remembered persona without asking', async () => {
    window.localStorage.setItem(PERSONA_STORAGE_KEY, 'guest');
    server.use(
      http.get(`${authUrl}/guest/refresh`, () =>
        HttpResponse.json(
          identityResponse('user:default/jordan.lee', [
            'user:default/jordan.lee',
            'group:default/telehealth-video',
          ]),
        ),
      ),
    );
    const onSignInSuccess = jest.fn();
    await render(onSignInSuccess);
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalledTimes(1));
    const identity: IdentityApi = onSignInSuccess.mock.calls[0][0];
    expect((await identity.getBackstageIdentity()).userEntityRef).toBe(
      'user:default/jordan.lee',
    );
  });

  it('says why when the persona cannot sign in, and lets the person choose another', async () => {
    window.localStorage.setItem(PERSONA_STORAGE_KEY, 'platform-admin');
    let refreshes = 0;
    server.use(
      http.get(`${authUrl}/platform-admin/refresh`, () => {
        refreshes++;
        return HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message:
                "The 'platform-admin' sign-in is a development persona and works only with NODE_ENV=development",
            },
          },
          { status: 403 },
        );
      }),
    );
    const onSignInSuccess = jest.fn();
    await render(onSignInSuccess);
    expect(
      await screen.findByText(/Could not sign in as Priya Shah/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/works only with NODE_ENV=development/),
    ).toBeInTheDocument();
    // the backend may just have been starting: trying again asks it again
    expect(refreshes).toBe(1);
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(refreshes).toBe(2));
    expect(
      await screen.findByText(/Could not sign in as Priya Shah/),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Choose another persona' }),
    );
    expect(
      screen.getByRole('button', { name: 'Sign in as Jordan Lee' }),
    ).toBeInTheDocument();
    expect(onSignInSuccess).not.toHaveBeenCalled();
  });
});
