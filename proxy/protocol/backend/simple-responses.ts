// Server responses the proxy only needs to recognise by type byte (it forwards them unread).
import { kind } from '../message-kind.js';

export const ParseComplete = kind('1', 'ParseComplete', 'backend');
export const BindComplete = kind('2', 'BindComplete', 'backend');
export const CloseComplete = kind('3', 'CloseComplete', 'backend');
export const NoData = kind('n', 'NoData', 'backend');
export const ParameterDescription = kind('t', 'ParameterDescription', 'backend');
export const EmptyQueryResponse = kind('I', 'EmptyQueryResponse', 'backend');
export const PortalSuspended = kind('s', 'PortalSuspended', 'backend');
export const NotificationResponse = kind('A', 'NotificationResponse', 'backend');
export const FunctionCallResponse = kind('V', 'FunctionCallResponse', 'backend');
export const CopyInResponse = kind('G', 'CopyInResponse', 'backend');
export const CopyOutResponse = kind('H', 'CopyOutResponse', 'backend');
export const CopyBothResponse = kind('W', 'CopyBothResponse', 'backend');
