import { z } from 'zod';
import {
  webexBillingReportIdSchema,
  webexBillingReportListSchema,
  webexBillingReportSchema,
  webexCustomerListSchema,
  webexCustomerSchema,
  webexResourceUrlSchema,
  webexSubscriberListSchema,
  webexSubscriberSchema,
} from '../contracts/webex-wholesale.js';
import type { paths } from './wholesale-api.js';

/**
 * One Webex Wholesale operation as data: its method and path in Cisco's document (`paths`, generated
 * from it, so a path Webex does not have fails to compile), the statuses that mean it worked, and the
 * zod shape its answer is checked against. The client (wholesale-client.ts) sends any of them alike.
 */
export interface WholesaleEndpoint<T> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: keyof paths;
  /** Named in errors and logs ("customer read"). */
  what: string;
  /** The statuses that mean success; any 2xx when absent. */
  success?: readonly number[];
  /** A 404 means there is none (reads answer undefined, deletes are done): not a failure. */
  absentOn404?: true;
  /** A failure may have been applied (a create): 5xx answers say `ambiguous`. */
  mayHaveApplied?: true;
  answer: z.ZodType<T>;
}

/** An answer the desk does not read (a 202 to an update, a delete). */
const noAnswer = z.unknown();

const endpoint = <T>(e: WholesaleEndpoint<T>) => e;

export const WHOLESALE_ENDPOINTS = {
  createCustomer: endpoint({
    method: 'POST',
    path: '/wholesale/customers',
    what: 'customer create',
    success: [202],
    mayHaveApplied: true,
    answer: webexResourceUrlSchema,
  }),
  getCustomer: endpoint({
    method: 'GET',
    path: '/wholesale/customers/{customerId}',
    what: 'customer read',
    absentOn404: true,
    answer: webexCustomerSchema,
  }),
  findCustomers: endpoint({ method: 'GET', path: '/wholesale/customers', what: 'customer lookup', answer: webexCustomerListSchema }),
  listCustomers: endpoint({ method: 'GET', path: '/wholesale/customers', what: 'customer list', answer: webexCustomerListSchema }),
  checkToken: endpoint({ method: 'GET', path: '/wholesale/customers', what: 'token check', answer: noAnswer }),
  updateCustomer: endpoint({
    method: 'PUT',
    path: '/wholesale/customers/{customerId}',
    what: 'customer update',
    success: [200, 202],
    answer: noAnswer,
  }),
  deleteCustomer: endpoint({
    method: 'DELETE',
    path: '/wholesale/customers/{customerId}',
    what: 'customer delete',
    absentOn404: true,
    answer: noAnswer,
  }),
  validateCustomer: endpoint({ method: 'POST', path: '/wholesale/customers/validate', what: 'customer precheck', answer: noAnswer }),
  createSubscriber: endpoint({
    method: 'POST',
    path: '/wholesale/subscribers',
    what: 'subscriber create',
    success: [200, 202],
    mayHaveApplied: true,
    answer: webexSubscriberSchema,
  }),
  findSubscribers: endpoint({
    method: 'GET',
    path: '/wholesale/subscribers',
    what: 'subscriber lookup',
    answer: webexSubscriberListSchema,
  }),
  listSubscribers: endpoint({ method: 'GET', path: '/wholesale/subscribers', what: 'subscriber list', answer: webexSubscriberListSchema }),
  getSubscriber: endpoint({
    method: 'GET',
    path: '/wholesale/subscribers/{subscriberId}',
    what: 'subscriber read',
    absentOn404: true,
    answer: webexSubscriberSchema,
  }),
  updateSubscriber: endpoint({
    method: 'PUT',
    path: '/wholesale/subscribers/{subscriberId}',
    what: 'subscriber update',
    answer: webexSubscriberSchema,
  }),
  deleteSubscriber: endpoint({
    method: 'DELETE',
    path: '/wholesale/subscribers/{subscriberId}',
    what: 'subscriber delete',
    absentOn404: true,
    answer: noAnswer,
  }),
  validateSubscriber: endpoint({ method: 'POST', path: '/wholesale/subscribers/validate', what: 'subscriber precheck', answer: noAnswer }),
  resendConsentEmail: endpoint({
    method: 'POST',
    path: '/subscribers/{subscriberId}/emails/consentMove',
    what: 'consent email',
    answer: noAnswer,
  }),
  createBillingReport: endpoint({
    method: 'POST',
    path: '/wholesale/billing/reports',
    what: 'billing report create',
    mayHaveApplied: true,
    answer: webexBillingReportIdSchema,
  }),
  getBillingReport: endpoint({
    method: 'GET',
    path: '/wholesale/billing/reports/{id}',
    what: 'billing report read',
    absentOn404: true,
    answer: webexBillingReportSchema,
  }),
  listBillingReports: endpoint({
    method: 'GET',
    path: '/wholesale/billing/reports',
    what: 'billing report list',
    answer: webexBillingReportListSchema,
  }),
  deleteBillingReport: endpoint({
    method: 'DELETE',
    path: '/wholesale/billing/reports/{id}',
    what: 'billing report delete',
    absentOn404: true,
    answer: noAnswer,
  }),
} as const;
