/** The Handoff card as a TaskInfoPanel child: Flex passes it the panel's props, the task among them. */
import React from 'react';
import type * as Flex from '@twilio/flex-ui';
import { HandoffCard } from '../handoff-card';
import { flexTheme } from './flex-theme';
import { flexLocale } from './locale';

/** The part of Flex's TaskInfoPanel props used here (Flex does not export their type). */
export interface PanelProps {
  task?: Pick<Flex.ITask, 'attributes'>;
}

export interface FlexHandoffCardProps extends PanelProps {
  manager: Flex.Manager;
}

export function FlexHandoffCard({ manager, task }: FlexHandoffCardProps) {
  return <HandoffCard attributes={task?.attributes} locale={flexLocale(manager)} theme={flexTheme(manager)} />;
}
