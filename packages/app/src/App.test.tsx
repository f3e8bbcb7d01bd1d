import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('renders the sign-in page of the Careplane portal', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Careplane' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    // Signed out, the app offers the development personas under the portal's title.
    expect(
      await screen.findByRole(
        'button',
        { name: 'Sign in as Jordan Lee' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sign in as Priya Shah' }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Careplane').length).toBeGreaterThan(0);
  });
});
