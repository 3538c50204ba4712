using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Alerts;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.Reconciliation;
using OrderHub.Domain.Tenancy;
using static OrderHub.Api.Alerts.Html;

namespace OrderHub.Api.Features.Reconciliation.RunReconciliation;

/// <summary>
/// A finished run's summary for the chats that get the point's end-of-day report: "all 412 orders at the
/// register", or the exceptions with links to their orders. Written in the run's save, once per run.
/// </summary>
public sealed class ReconciliationSummary(AlertWriter writer)
{
    /// <summary>The most exceptions listed by name; the panel's report has them all.</summary>
    private const int MaxListed = 15;

    public async Task AddAsync(OrderHubDbContext db, PickupPoint point, ReconciliationRun run, CancellationToken cancellationToken)
    {
        var chats = await db.TelegramChats.AsNoTracking()
            .Where(c => c.CompanyId == point.CompanyId && (c.PickupPointId == null || c.PickupPointId == point.Id)
                        && (c.Reports & ReportKinds.EndOfDay) == ReportKinds.EndOfDay)
            .ToListAsync(cancellationToken);
        if (chats.Count == 0)
        {
            return;
        }

        // Each finished run once (a run again by hand is a new summary, even within the same clock tick), in each
        // chat's own language.
        var key = $"recon:{run.Id:N}:{Guid.CreateVersion7():N}";
        foreach (var chat in chats)
        {
            writer.Add(db, chat, "report", new AlertContent(Format(point, run, AlertWriter.LanguageOf(chat))), key);
        }
    }

    public string Format(PickupPoint point, ReconciliationRun run, string language)
    {
        string T(string key) => ReconciliationTexts.Get(key, language);
        var b = new StringBuilder();
        var icon = run.State == ReconciliationState.Failed ? "❌" : run.Clean ? "✅" : "⚠️";
        b.Append(CultureInfo.InvariantCulture, $"{icon} <b>{E(T("tg.title"))} — {E(point.Name)}</b>, {run.Day:yyyy-MM-dd}\n");
        if (run.State == ReconciliationState.Failed)
        {
            b.Append(E(T("tg.failed"))).Append(' ').Append(E(Messages.MessageCatalog.Render(run.ErrorKey, run.ErrorArgs, run.Error ?? "", language)));
        }
        else if (run.Clean)
        {
            b.Append(E(run.Expected is 0 ? T("tg.noOrders") : ReconciliationTexts.AllAtRegister(run.Expected, language)));
        }
        else
        {
            b.Append(E(string.Format(CultureInfo.InvariantCulture, T("tg.atRegister"), run.AtPos, run.Expected))).Append('\n');
            var listed = 0;
            foreach (var finding in run.Findings.OrderBy(f => f.Kind).ThenBy(f => f.OrderNumber, StringComparer.Ordinal))
            {
                if (++listed > MaxListed)
                {
                    b.Append(E(string.Format(CultureInfo.InvariantCulture, T("tg.more"), run.Findings.Count - MaxListed))).Append('\n');
                    break;
                }

                var number = "#" + finding.OrderNumber;
                var order = finding.OrderId is { } id && writer.OrderLink(id) is { } href ? Link(href, number) : E(number);
                b.Append("• ").Append(order).Append(" — ").Append(E(Describe(finding, language))).Append('\n');
            }
        }

        if (run.Cancelled > 0)
        {
            b.Append('\n').Append(E(string.Format(CultureInfo.InvariantCulture, T("tg.cancelled"), run.Cancelled)));
        }

        if (writer.Options.PublicBaseUrl is { Length: > 0 } root)
        {
            b.Append('\n').Append(Link($"{root.TrimEnd('/')}/panel/points/{point.Id}/reconciliations/{run.Id}", T("tg.open")));
        }

        return b.ToString().TrimEnd('\n');
    }

    /// <summary>One finding in a sentence (panel and Telegram).</summary>
    public static string Describe(ReconciliationFinding finding, string language)
    {
        string T(string key) => ReconciliationTexts.Get(key, language);
        return finding.Kind switch
        {
            ReconciliationFindingKind.Missing => T("finding.Missing"),
            ReconciliationFindingKind.Duplicate => string.Format(CultureInfo.InvariantCulture, T("finding.Duplicate"), finding.Copies, finding.PosOrderIds),
            ReconciliationFindingKind.TotalDiffers => string.Format(CultureInfo.InvariantCulture, T("finding.TotalDiffers"),
                Money((finding.ExpectedTotal ?? 0) / 100m), Money((finding.PosTotal ?? 0) / 100m), finding.PosOrderIds),
            ReconciliationFindingKind.UnknownAtPos => string.Format(CultureInfo.InvariantCulture, T("finding.UnknownAtPos"), finding.PosOrderIds),
            _ => finding.Kind.ToString(),
        };
    }
}
