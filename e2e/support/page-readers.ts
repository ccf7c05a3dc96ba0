// What the tests read from a p2pcheck page: its own connectivity report and its "Check my network" result.
import { expect, type Page } from '@playwright/test';
import type { DiagnosisResult } from '../../common/nat/diagnosis-result';
import type { ConnectivityReport } from '../../common/report';

/** The page's own report (`<pre data-testid="report-json">`), or null when it is not there or not JSON. */
export async function readPageReport(page: Page, timeoutMs: number): Promise<ConnectivityReport | null> {
  const text = await page.getByTestId('report-json').textContent({ timeout: timeoutMs }).catch(() => null);
  if (!text) return null;
  try {
    return JSON.parse(text) as ConnectivityReport;
  } catch {
    return null;
  }
}

/** Presses "Check my network" and returns the result the page shows once the checks are done. */
export async function runNetworkCheck(page: Page, timeoutMs: number): Promise<DiagnosisResult> {
  await page.getByTestId('check-network').click();
  await expect(page.getByTestId('diagnosis-json')).toBeAttached({ timeout: timeoutMs });
  return JSON.parse((await page.getByTestId('diagnosis-json').textContent()) ?? 'null') as DiagnosisResult;
}
