import { BackOffice } from './screens/back-office-loader';
import { ConnectionScreen } from './screens/connection-screen';
import { CheckoutScreen } from './screens/checkout-screen';
import { LoginScreen } from './screens/login-screen';
import { usePosStores, useRegister, useSession, useUi } from './stores/stores-context';

/** Which screen the till shows follows from two facts: does the core answer, and who is logged in. */
export function App() {
  const { register } = usePosStores();
  const connection = useRegister((s) => s.connection);
  const hasStatus = useRegister((s) => s.status !== null);
  const retryAt = useRegister((s) => s.retryAt);
  const loggedIn = useSession((s) => s.staff !== null);
  const area = useUi((s) => s.area);

  if (connection !== 'connected' || !hasStatus) {
    return (
      <ConnectionScreen
        phase={connection === 'unreachable' ? 'unreachable' : 'connecting'}
        retryAt={retryAt}
        onRetry={() => register.getState().retryNow()}
      />
    );
  }
  if (!loggedIn) return <LoginScreen />;
  if (area !== 'back-office') return <CheckoutScreen />;
  return <BackOffice />;
}
