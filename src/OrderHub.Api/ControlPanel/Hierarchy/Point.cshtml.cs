using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.ControlPanel.Fiscal;
using OrderHub.Api.Features.Fiscal.Employees;
using OrderHub.Api.Features.Tenancy.Companies;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Features.Tenancy.PosIntegrations;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel.Hierarchy;

/// <summary>
/// A pickup point, in sub-pages of a screen or two each (<see cref="Tabs"/>): its POS (kind, write-only credentials
/// "set" / "not set", enabled, auto-sync on acceptance with the API's coverage gate and override, "test connection"
/// and the last check), its fiscal connection, its cashiers, and the point's own details. Credentials are a
/// manager's (ManageSettingsPolicy): support staff see the status, never the fields. Each action redirects to the
/// sub-page it belongs to.
/// </summary>
public sealed class PointModel(IMediator mediator, IAuthorizationService authorization, PanelText text, OrderHub.Api.Persistence.OrderHubDbContext db)
    : PanelPageModel(mediator, authorization)
{
    /// <summary>
    /// For a role that cannot change the POS (support): who can, by name — the company's managers and the admins
    /// (enabled users only), so support knows whom to ask instead of facing a form it cannot use.
    /// </summary>
    public IReadOnlyList<(string Name, string Role)> WhoCanFix { get; private set; } = [];

    public PickupPointDto Point { get; private set; } = null!;
    public CompanyDto Company { get; private set; } = null!;

    /// <summary>Null when the point has no POS yet.</summary>
    public PosIntegrationDto? Integration { get; private set; }
    public bool CanManage { get; private set; }

    /// <summary>The fiscal connection the point uses (its own or the company default), null when none.</summary>
    public FiscalConnectionView Fiscal { get; private set; } = null!;
    public IReadOnlyList<FiscalEmployeeDto> Employees { get; private set; } = [];

    public static readonly string[] Tabs = ["pos", "fiscal", "employees", "details"];

    /// <summary>The sub-page shown: one of <see cref="Tabs"/> (the POS by default: what the dashboard's health and an order's fix link lead to).</summary>
    [BindProperty(SupportsGet = true, Name = "tab")]
    public string? Tab { get; set; }

    public string ActiveTab => Tab is { } tab && Tabs.Contains(tab) ? tab : "pos";

    /// <summary>The address of a sub-page of the point <paramref name="id"/>.</summary>
    public static string TabUrl(Guid id, string tab) => tab == "pos" ? $"/panel/points/{id}" : $"/panel/points/{id}?tab={tab}";

    private RedirectResult ToTab(Guid id, string tab) => Redirect(TabUrl(id, tab));

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => LoadAsync(() => LoadPointAsync(id, cancellationToken));

    private async Task LoadPointAsync(Guid id, CancellationToken cancellationToken)
    {
        Point = await Mediator.Send(new GetPickupPointQuery(id), cancellationToken);
        Company = await Mediator.Send(new GetCompanyQuery(Point.CompanyId), cancellationToken);
        try
        {
            Integration = await Mediator.Send(new GetPosIntegrationQuery(id), cancellationToken);
        }
        catch (ProblemException problem) when (problem.Status == StatusCodes.Status404NotFound)
        {
            Integration = null;
        }

        CanManage = await AllowedAsync(AccessScope.ManageSettingsPolicy);
        if (!CanManage)
        {
            var companyId = Point.CompanyId;
            WhoCanFix = (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                    db.Users.Where(u => u.Enabled && (u.Role == Domain.Users.UserRole.Admin
                                                      || (u.Role == Domain.Users.UserRole.Manager && u.Companies.Any(c => c.CompanyId == companyId))))
                        .OrderBy(u => u.Role).ThenBy(u => u.DisplayName).Take(10)
                        .Select(u => new { u.DisplayName, u.Role }), cancellationToken))
                .Select(u => (u.DisplayName, u.Role == Domain.Users.UserRole.Admin ? AccessScope.AdminRole : AccessScope.ManagerRole)).ToList();
        }

        Fiscal = new FiscalConnectionView(await FiscalForms.ConnectionOrNullAsync(Mediator, null, id, cancellationToken), CanManage, ForPoint: true, id);
        Employees = await Mediator.Send(new GetFiscalEmployeesQuery(id), cancellationToken);
    }

    public Task<IActionResult> OnPostPointAsync(Guid id, string? name, string? address, bool useCompanyExternalIds, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            await Mediator.Send(new SavePickupPointCommand { Id = id, Name = name, Address = address, UseCompanyExternalIds = useCompanyExternalIds }, cancellationToken);
            return text["point.saved"];
        }, () => ToTab(id, "details"));

    /// <summary>
    /// The whole integration as the form shows it; an empty token or secret keeps the stored one. A webhook secret
    /// OrderHub generated is shown once, at the top of the POS sub-page redirected to.
    /// </summary>
    public Task<IActionResult> OnPostPosAsync(
        Guid id, string? kind, string? posterAccount, long? posterSpotId, string? token, string? webhookUrl, string? secret,
        bool enabled, bool autoSyncOnAcceptance, string? autoSyncOverrideReason, bool inheritCompanyCredentials, CancellationToken cancellationToken)
    {
        var poster = string.Equals(kind, "Poster", StringComparison.OrdinalIgnoreCase);
        return ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            var saved = await Mediator.Send(new SavePosIntegrationCommand
            {
                PickupPointId = id,
                Actor = User.Actor(),
                Kind = kind,
                Enabled = enabled,
                AutoSyncOnAcceptance = autoSyncOnAcceptance,
                InheritCompanyCredentials = inheritCompanyCredentials,
                PosterAccount = poster ? Blank(posterAccount) : null,
                PosterSpotId = poster ? posterSpotId : null,
                Token = poster ? Blank(token) : null,
                WebhookUrl = poster ? null : Blank(webhookUrl),
                Secret = poster ? null : Blank(secret),
                AutoSyncOverrideReason = Blank(autoSyncOverrideReason),
            }, cancellationToken);
            if (saved.GeneratedSecret is { } generated)
            {
                ShowSecretOnce(generated, "point.generatedSecret");
            }

            return text["point.posSaved"];
        }, () => ToTab(id, "pos"));
    }

    public Task<IActionResult> OnPostTestAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(null, async () =>
        {
            var check = await Mediator.Send(new TestPosConnectionCommand(id), cancellationToken);
            return check.Ok ? text.Format("point.testOk", check.Message) : text.Format("point.testFailed", check.Message, check.FixHint);
        }, () => ToTab(id, "pos"));

    public Task<IActionResult> OnPostFiscalSaveAsync(Guid id, FiscalConnectionForm form, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, () => FiscalForms.SaveAsync(Mediator, text, null, id, form, cancellationToken),
            () => ToTab(id, "fiscal"));

    public Task<IActionResult> OnPostFiscalDeleteAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            await Mediator.Send(new Features.Fiscal.Connections.DeleteFiscalConnectionCommand(null, id), cancellationToken);
            return text["fiscal.deleted"];
        }, () => ToTab(id, "fiscal"));

    /// <summary>Checking is open to support too, like the API's check endpoint.</summary>
    public Task<IActionResult> OnPostFiscalCheckAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(null, () => FiscalForms.CheckAsync(Mediator, text, null, id, cancellationToken), () => ToTab(id, "fiscal"));

    public Task<IActionResult> OnPostEmployeeAsync(
        Guid id, Guid? employeeId, string? name, string? userName, string? fiscalNumber, bool isDefaultCashier, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy,
            () => FiscalForms.SaveEmployeeAsync(Mediator, text, id, employeeId, name, userName, fiscalNumber, isDefaultCashier, cancellationToken),
            () => ToTab(id, "employees"));

    public Task<IActionResult> OnPostEmployeeDeleteAsync(Guid id, Guid employeeId, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            await Mediator.Send(new DeleteFiscalEmployeeCommand(employeeId), cancellationToken);
            return text["employees.deleted"];
        }, () => ToTab(id, "employees"));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
