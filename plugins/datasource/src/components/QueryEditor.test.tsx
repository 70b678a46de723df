import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { QueryEditor } from './QueryEditor';
import { testIds } from '../testIds';
import type { DataSource } from '../datasource';
import type { CairnQuery } from '../types';

function setup(query: Partial<CairnQuery> = {}) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const fullQuery: CairnQuery = { refId: 'A', queryType: 'logs', ...query };
  render(<QueryEditor datasource={{} as DataSource} query={fullQuery} onChange={onChange} onRunQuery={onRunQuery} />);
  return { onChange, onRunQuery, fullQuery };
}

describe('QueryEditor', () => {
  it('shows service, free text and limit for logs', () => {
    setup({ service: 'checkout', query: 'timeout', limit: 20 });
    expect(screen.getByTestId(testIds.queryEditor.service)).toHaveValue('checkout');
    expect(screen.getByTestId(testIds.queryEditor.query)).toHaveValue('timeout');
    expect(screen.getByTestId(testIds.queryEditor.limit)).toHaveValue(20);
    expect(screen.queryByTestId(testIds.queryEditor.metric)).not.toBeInTheDocument();
  });

  it('changes the service immutably and runs on blur', () => {
    const { onChange, onRunQuery, fullQuery } = setup({ service: 'a' });
    const input = screen.getByTestId(testIds.queryEditor.service);
    fireEvent.change(input, { target: { value: 'payments' } });
    expect(onChange).toHaveBeenCalledWith({ ...fullQuery, service: 'payments' });
    expect(fullQuery.service).toBe('a');
    fireEvent.blur(input);
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('changes the free text', () => {
    const { onChange, fullQuery } = setup();
    fireEvent.change(screen.getByTestId(testIds.queryEditor.query), { target: { value: 'disk full' } });
    expect(onChange).toHaveBeenCalledWith({ ...fullQuery, query: 'disk full' });
  });

  it('switches the query type and runs the query', () => {
    const { onChange, onRunQuery, fullQuery } = setup();
    fireEvent.click(screen.getByLabelText('Patterns'));
    expect(onChange).toHaveBeenCalledWith({ ...fullQuery, queryType: 'patterns' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('shows the contract metrics instead of text and limit for series', () => {
    const { onChange, onRunQuery, fullQuery } = setup({ queryType: 'series', service: 'api' });
    expect(screen.queryByTestId(testIds.queryEditor.query)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.queryEditor.limit)).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.queryEditor.metric)).toHaveTextContent(/volume.*error_rate.*latency_p99/);
    expect(screen.getByLabelText('error_rate')).toBeChecked();
    fireEvent.click(screen.getByLabelText('volume'));
    expect(onChange).toHaveBeenCalledWith({ ...fullQuery, metric: 'volume' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('clears a non-numeric limit', () => {
    const { onChange, fullQuery } = setup({ limit: 10 });
    fireEvent.change(screen.getByTestId(testIds.queryEditor.limit), { target: { value: '' } });
    expect(onChange).toHaveBeenCalledWith({ ...fullQuery, limit: undefined });
  });
});
