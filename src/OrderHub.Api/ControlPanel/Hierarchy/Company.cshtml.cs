using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OrderHub.Api.Alerts;
using OrderHub.Api.ControlPanel.Fiscal;
using OrderHub.Api.Features.Telegram.CreateChatCode;
using OrderHub.Api.Features.Telegram.SaveTelegramBot;
using OrderHub.Api.Features.Telegram.TelegramChats;
using OrderHub.Api.Features.Tenancy.Companies;
using OrderHub.Api.Features.Tenancy.ExternalIds;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Features.Tenancy.PosIntegrations;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Security;
using OrderHub.Domain.Alerts;

namespace OrderHub.Api.ControlPanel.Hierarchy;

/// <summary>
/// A company: its pickup points (and a new one), its default external ids, its default fiscal connection, and its
/// Telegram bot (token write-only), one-time chat codes (shown once, in the answer to the POST) and chats.
/// </summary>
public sealed class CompanyModel(IMediator mediator, IAuthorizationService authorization, PanelText text, IOptions<TelegramOptions> telegram, PanelTime time)
    : PanelPageModel(mediator, authorization)
{
    public CompanyDto Company { get; private set; } = null!;
    public IReadOnlyList<PickupPointDto> Points { get; private set; } = [];
    public IReadOnlyList<ExternalIdDto> Defaults { get; private set; } = [];
    public bool CanManage { get; private set; }
    public FiscalConnectionView Fiscal { get; private set; } = null!;

    /// <summary>The instance's waiting threshold, shown where a chat has none of its own.</summary>
    public int DefaultWaitingAlertMinutes => (int)Math.Ceiling(telegram.Value.AwaitingExportThreshold.TotalMinutes);

    /// <summary>The company's default POS integration; null when it has none.</summary>
    public CompanyPosIntegrationDto? Pos { get; private set; }

    /// <summary>Null when the company has no bot.</summary>
    public TelegramBotDto? Bot { get; private set; }
    public IReadOnlyList<TelegramChatDto> Chats { get; private set; } = [];

    /// <summary>
    /// A chat code just created: carried once through the redirect (TempData, an encrypted cookie read and deleted
    /// by the next page) and shown at the top of that page; the code itself expires in minutes and works once.
    /// </summary>
    [TempData]
    public string? NewCode { get; set; }

    /// <summary>The <c>/start CODE</c> command of <see cref="NewCode"/> (stored as "command|expiry in Unix seconds").</summary>
    public string? NewCodeCommand => NewCode?.Split('|')[0];

    /// <summary>When <see cref="NewCode"/> expires.</summary>
    public DateTimeOffset? NewCodeExpiresAt =>
        NewCode?.Split('|') is [_, var seconds] && long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
            ? DateTimeOffset.FromUnixTimeSeconds(unix) : null;

    public static readonly string[] Tabs = ["points", "ids", "pos", "fiscal", "telegram"];

    /// <summary>The section shown: one of <see cref="Tabs"/> (points by default), so no page is longer than a screen or two.</summary>
    [BindProperty(SupportsGet = true, Name = "tab")]
    public string? Tab { get; set; }

    public string ActiveTab => Tab is { } tab && Tabs.Contains(tab) ? tab : "points";

    private RedirectResult ToTab(Guid id, string tab) => Redirect(tab == "points" ? $"/panel/companies/{id}" : $"/panel/companies/{id}?tab={tab}");

    public static IReadOnlyList<string> AlertNames { get; } = [.. Enum.GetValues<AlertKinds>().Where(ChatSettings.IsSingle).Select(k => k.ToString())];
    public static IReadOnlyList<string> ReportNames { get; } = [.. Enum.GetValues<ReportKinds>().Where(ChatSettings.IsSingle).Select(k => k.ToString())];

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => LoadAsync(() => LoadCompanyAsync(id, cancellationToken));

    private async Task LoadCompanyAsync(Guid id, CancellationToken cancellationToken)
    {
        Company = await Mediator.Send(new GetCompanyQuery(id), cancellationToken);
        Points = await Mediator.Send(new GetPickupPointsQuery(id), cancellationToken);
        Defaults = await Mediator.Send(new GetExternalIdsQuery(id, false, null), cancellationToken);
        CanManage = await AllowedAsync(AccessScope.ManageSettingsPolicy);
        Fiscal = new FiscalConnectionView(await FiscalForms.ConnectionOrNullAsync(Mediator, id, null, cancellationToken), CanManage, ForPoint: false, id);
        try
        {
            Pos = await Mediator.Send(new GetCompanyPosIntegrationQuery(id), cancellationToken);
        }
        catch (ProblemException problem) when (problem.Status == StatusCodes.Status404NotFound)
        {
            Pos = null;
        }

        try
        {
            Bot = await Mediator.Send(new GetTelegramBotQuery(id), cancellationToken);
        }
        catch (ProblemException problem) when (problem.Status == StatusCodes.Status404NotFound)
        {
            Bot = null;
        }

        Chats = await Mediator.Send(new GetTelegramChatsQuery(id), cancellationToken);
    }

    public Task<IActionResult> OnPostFiscalSaveAsync(Guid id, FiscalConnectionForm form, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, () => FiscalForms.SaveAsync(Mediator, text, id, null, form, cancellationToken),
            () => ToTab(id, "fiscal"));

    public Task<IActionResult> OnPostFiscalCheckAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(null, () => FiscalForms.CheckAsync(Mediator, text, id, null, cancellationToken), () => ToTab(id, "fiscal"));

    /// <summary>PUT /api/companies/{id}/pos-integration: an empty token or secret keeps the stored one.</summary>
    public Task<IActionResult> OnPostPosAsync(
        Guid id, string? kind, string? posterAccount, string? token, string? webhookUrl, string? secret,
        bool enabled, bool autoSyncOnAcceptance, string? autoSyncOverrideReason, CancellationToken cancellationToken)
    {
        var poster = string.Equals(kind, "Poster", StringComparison.OrdinalIgnoreCase);
        return ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            await Mediator.Send(new SaveCompanyPosIntegrationCommand
            {
                CompanyId = id,
                Actor = User.Actor(),
                Kind = kind,
                Enabled = enabled,
                AutoSyncOnAcceptance = autoSyncOnAcceptance,
                PosterAccount = poster ? Blank(posterAccount) : null,
                Token = poster ? Blank(token) : null,
                WebhookUrl = poster ? null : Blank(webhookUrl),
                Secret = poster ? null : Blank(secret),
                AutoSyncOverrideReason = Blank(autoSyncOverrideReason),
            }, cancellationToken);
            return text["point.posSaved"];
        }, () => ToTab(id, "pos"));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>PUT /api/companies/{id}/telegram-bot: an empty token keeps the stored one.</summary>
    public Task<IActionResult> OnPostBotAsync(Guid id, string? token, bool enabled, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            await Mediator.Send(new SaveTelegramBotCommand { CompanyId = id, Token = string.IsNullOrWhiteSpace(token) ? null : token.Trim(), Enabled = enabled },
                cancellationToken);
            return text["telegram.saved"];
        }, () => ToTab(id, "telegram"));

    /// <summary>POST /api/companies/{id}/telegram-chat-codes: the code is shown once, at the top of the page redirected to.</summary>
    public Task<IActionResult> OnPostChatCodeAsync(Guid id, Guid? pickupPointId, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            var code = await Mediator.Send(new CreateChatCodeCommand { CompanyId = id, PickupPointId = pickupPointId }, cancellationToken);
            // Not a date string in TempData: its serializer would hand a DateTime back.
            NewCode = code.Command + "|" + code.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            return text["telegram.codeCreated"];
        }, () => ToTab(id, "telegram"));

    /// <summary>
    /// PUT /api/telegram-chats/{chatId}: the ticked alerts and reports, the report time, the chat's language and the waiting threshold
    /// (empty keeps it; what is not a whole number goes to the API as 0, which its validation refuses by name).
    /// </summary>
    public Task<IActionResult> OnPostChatAsync(
        Guid id, Guid chatId, string[]? alerts, string[]? reports, string? reportAt, string? waitingAlertMinutes, string? language, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            var chat = await Mediator.Send(new UpdateTelegramChatCommand
            {
                Id = chatId, Alerts = alerts ?? [], Reports = reports ?? [], ReportAt = string.IsNullOrWhiteSpace(reportAt) ? null : reportAt.Trim(),
                WaitingAlertMinutes = string.IsNullOrWhiteSpace(waitingAlertMinutes) ? null
                    : int.TryParse(waitingAlertMinutes.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) ? minutes : 0,
                Language = string.IsNullOrWhiteSpace(language) ? null : language.Trim(),
            }, cancellationToken);
            return text.Format("telegram.chatSaved", chat.Title);
        }, () => ToTab(id, "telegram"));

    public Task<IActionResult> OnPostChatDeleteAsync(Guid id, Guid chatId, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            await Mediator.Send(new DeleteTelegramChatCommand(chatId), cancellationToken);
            return text["telegram.chatDeleted"];
        }, () => ToTab(id, "telegram"));

    /// <summary>PUT /api/companies/{id}/signing-secret: the secret Dots issued, write-only (never shown back).</summary>
    public Task<IActionResult> OnPostSigningSecretAsync(Guid id, string? signingSecret, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            var company = await Mediator.Send(new SetSigningSecretCommand { CompanyId = id, SigningSecret = signingSecret?.Trim() }, cancellationToken);
            return text.Format("company.signingSecretSaved", company.PreviousSecretExpiresAt is { } until ? time.Text(until) : "");
        }, () => ToTab(id, "points"));

    public Task<IActionResult> OnPostPointAsync(Guid id, string? name, string? dotsAddressId, string? address, string? timeZone, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            var point = await Mediator.Send(new SavePickupPointCommand
            {
                CompanyId = id, Name = name, DotsAddressId = dotsAddressId, Address = address,
                TimeZone = string.IsNullOrWhiteSpace(timeZone) ? null : timeZone,
            }, cancellationToken);
            return text.Format("hierarchy.pointCreated", point.Name);
        }, () => ToTab(id, "points"));
}
