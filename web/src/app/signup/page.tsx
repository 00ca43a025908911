import type { Metadata } from 'next';
import { AuthForm } from '@/components/auth-form';

export const metadata: Metadata = { title: 'Create account · Parley' };

export default function SignUpPage() {
  return <AuthForm mode="signUp" />;
}
