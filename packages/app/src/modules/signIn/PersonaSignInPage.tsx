import { useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
  WarningPanel,
} from '@backstage/core-components';
import { configApiRef, IdentityApi, useApi } from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { DEV_PERSONAS, DevPersona, PERSONA_STORAGE_KEY } from './personas';

function storedPersona(): DevPersona | undefined {
  const provider = window.localStorage.getItem(PERSONA_STORAGE_KEY);
  return DEV_PERSONAS.find(p => p.provider === provider);
}

/** The auth backend's own message (a ResponseError carries it as its cause). */
function reasonOf(error?: Error): string | undefined {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause instanceof Error ? cause.message : error?.message;
}

/** Signing out forgets the persona, so the next sign-in asks again. */
function forgetPersonaOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      window.localStorage.removeItem(PERSONA_STORAGE_KEY);
      await identity.signOut();
    },
  };
}

/**
 * The development sign-in: choose to be the demo engineer or a platform admin. Production
 * configures a real identity provider and its own sign-in page.
 */
export function PersonaSignInPage(props: SignInPageProps) {
  const title =
    useApi(configApiRef).getOptionalString('app.title') ?? 'Careplane';
  const [persona, setPersona] = useState(storedPersona);
  // a new attempt re-mounts the sign-in (e.g. after the backend finished starting)
  const [attempt, setAttempt] = useState(0);

  if (persona) {
    return (
      <ProxiedSignInPage
        key={attempt}
        {...props}
        provider={persona.provider}
        onSignInSuccess={identity =>
          props.onSignInSuccess(forgetPersonaOnSignOut(identity))
        }
        ErrorComponent={({ error }) => (
          <Page themeId="home">
            <Header title={title} subtitle="Development sign-in" />
            <Content>
              <WarningPanel
                defaultExpanded
                title={`Could not sign in as ${persona.name}`}
                message={reasonOf(error)}
              />
              <Button
                variant="contained"
                color="primary"
                onClick={() => setAttempt(a => a + 1)}
              >
                Try again
              </Button>{' '}
              <Button
                variant="outlined"
                color="primary"
                onClick={() => {
                  window.localStorage.removeItem(PERSONA_STORAGE_KEY);
                  setPersona(undefined);
                }}
              >
                Choose another persona
              </Button>
            </Content>
          </Page>
        )}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header
        title={title}
        subtitle="Development sign-in: choose who you are"
      />
      <Content>
        <Grid container spacing={3}>
          {DEV_PERSONAS.map(p => (
            <Grid item xs={12} md={6} key={p.provider}>
              <InfoCard
                title={p.name}
                subheader={p.role}
                variant="fullHeight"
                actions={
                  <Button
                    variant="contained"
                    color="primary"
                    onClick={() => {
                      window.localStorage.setItem(
                        PERSONA_STORAGE_KEY,
                        p.provider,
                      );
                      setPersona(p);
                    }}
                  >
                    Sign in as {p.name}
                  </Button>
                }
              >
                <Typography variant="body1">{p.description}</Typography>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
