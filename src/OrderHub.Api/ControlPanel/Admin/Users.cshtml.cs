using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Tenancy.Companies;
using OrderHub.Api.Features.Users;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel.Admin;

/// <summary>Users for admins: list, create, role and companies, enable, reset password, unlock (the users API's requests).</summary>
[Authorize(Policy = AccessScope.AdminPolicy)]
public sealed class UsersModel(IMediator mediator, IAuthorizationService authorization, PanelText text) : PanelPageModel(mediator, authorization)
{
    public IReadOnlyList<UserDto> Users { get; private set; } = [];
    public IReadOnlyList<CompanyDto> Companies { get; private set; } = [];

    public string CompanyName(Guid id) => Companies.FirstOrDefault(c => c.Id == id)?.Name ?? id.ToString();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Users = await Mediator.Send(new GetUsersQuery(), cancellationToken);
        Companies = await Mediator.Send(new GetCompaniesQuery(null), cancellationToken);
    }

    public Task<IActionResult> OnPostCreateAsync(string? loginName, string? displayName, string? role, Guid[] companyIds, string? password, string? language, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.AdminPolicy, async () =>
        {
            var user = await Mediator.Send(new CreateUserCommand
            {
                LoginName = loginName, DisplayName = displayName, Role = role, CompanyIds = companyIds, Password = password,
                Language = string.IsNullOrEmpty(language) ? null : language,
            }, cancellationToken);
            return text.Format("users.created", user.LoginName);
        });

    public Task<IActionResult> OnPostUpdateAsync(Guid id, string? role, Guid[] companyIds, bool enabled, string? parkedVisibility, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.AdminPolicy, async () =>
        {
            var user = await Mediator.Send(new UpdateUserCommand
            {
                Id = id, Role = role, CompanyIds = companyIds, Enabled = enabled, ParkedVisibility = string.IsNullOrEmpty(parkedVisibility) ? null : parkedVisibility,
            }, cancellationToken);
            return text.Format("users.saved", user.LoginName);
        });

    public Task<IActionResult> OnPostPasswordAsync(Guid id, string? password, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.AdminPolicy, async () =>
        {
            var user = await Mediator.Send(new ResetPasswordCommand { Id = id, Password = password }, cancellationToken);
            return text.Format("users.passwordSet", user.LoginName);
        });

    public Task<IActionResult> OnPostUnlockAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.AdminPolicy, async () =>
        {
            var user = await Mediator.Send(new UnlockUserCommand(id), cancellationToken);
            return text.Format("users.unlocked", user.LoginName);
        });
}
