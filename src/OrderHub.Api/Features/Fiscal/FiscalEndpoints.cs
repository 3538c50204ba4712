using System.Security.Claims;
using MediatR;
using OrderHub.Api.Features.Fiscal.Connections;
using OrderHub.Api.Features.Fiscal.Employees;
using OrderHub.Api.Features.Fiscal.Receipts;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Fiscal;

/// <summary>
/// Fiscal connections, cashiers, receipts. Connections (credentials) and employees are settings, and a refund
/// moves money: those need <see cref="AccessScope.ManageSettingsPolicy"/>. Reading, checking a connection, marking
/// an order paid and retrying a receipt are open to support too (the fiscal counterpart of export and re-drive).
/// </summary>
public static class FiscalEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var company = api.MapGroup("/companies/{id:guid}/fiscal-connection").WithTags("Fiscal");
        company.MapGet("/", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetFiscalConnectionQuery(id, null), ct))
            .WithName("GetCompanyFiscalConnection").WithSummary("The company's default fiscal connection; secrets only as has* flags")
            .Produces<FiscalConnectionDto>().ProducesProblem(StatusCodes.Status404NotFound);
        company.MapPut("/", (IMediator m, Guid id, SaveFiscalConnectionCommand command, CancellationToken ct) => m.Send(command with { CompanyId = id, PickupPointId = null }, ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("SaveCompanyFiscalConnection").WithSummary("Create or replace the company's default fiscal connection; omit a secret to keep it")
            .Produces<FiscalConnectionDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        company.MapDelete("/", async (IMediator m, Guid id, CancellationToken ct) =>
            {
                await m.Send(new DeleteFiscalConnectionCommand(id, null), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("DeleteCompanyFiscalConnection").WithSummary("Remove the company's default fiscal connection")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        company.MapPost("/check", (IMediator m, Guid id, CancellationToken ct) => m.Send(new CheckFiscalConnectionCommand(id, null), ct))
            .WithName("CheckCompanyFiscalConnection").WithSummary("Sign in at the provider with the stored data and store the connection's status")
            .Produces<FiscalConnectionCheckResult>().ProducesProblem(StatusCodes.Status404NotFound);

        var point = api.MapGroup("/pickup-points/{id:guid}").WithTags("Fiscal");
        point.MapGet("/fiscal-connection", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetFiscalConnectionQuery(null, id), ct))
            .WithName("GetPickupPointFiscalConnection").WithSummary("The connection the point uses: its own, else the company default (source)")
            .Produces<FiscalConnectionDto>().ProducesProblem(StatusCodes.Status404NotFound);
        point.MapPut("/fiscal-connection", (IMediator m, Guid id, SaveFiscalConnectionCommand command, CancellationToken ct) => m.Send(command with { CompanyId = null, PickupPointId = id }, ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("SavePickupPointFiscalConnection").WithSummary("Create or replace the point's own fiscal connection (overrides the company default)")
            .Produces<FiscalConnectionDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        point.MapDelete("/fiscal-connection", async (IMediator m, Guid id, CancellationToken ct) =>
            {
                await m.Send(new DeleteFiscalConnectionCommand(null, id), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("DeletePickupPointFiscalConnection").WithSummary("Remove the point's own connection; it then uses the company default")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        point.MapPost("/fiscal-connection/check", (IMediator m, Guid id, CancellationToken ct) => m.Send(new CheckFiscalConnectionCommand(null, id), ct))
            .WithName("CheckPickupPointFiscalConnection").WithSummary("Check the connection the point uses, with its cashier")
            .Produces<FiscalConnectionCheckResult>().ProducesProblem(StatusCodes.Status404NotFound);
        point.MapGet("/fiscal-employees", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetFiscalEmployeesQuery(id), ct))
            .WithName("GetFiscalEmployees").WithSummary("The point's employees who fiscalize, with warnings about their setup")
            .Produces<IReadOnlyList<FiscalEmployeeDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        point.MapPost("/fiscal-employees", async (IMediator m, Guid id, SaveFiscalEmployeeCommand command, CancellationToken ct) =>
            {
                var saved = await m.Send(command with { PickupPointId = id, EmployeeId = null }, ct);
                return TypedResults.Created($"/api/fiscal-employees/{saved.Id}", saved);
            })
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("CreateFiscalEmployee").WithSummary("Add an employee: name, linked user's login name, the register's fiscal number (ФН ПРРО), cashier flag")
            .Produces<FiscalEmployeeDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var employees = api.MapGroup("/fiscal-employees").WithTags("Fiscal");
        employees.MapPut("/{id:guid}", (IMediator m, Guid id, SaveFiscalEmployeeCommand command, CancellationToken ct) => m.Send(command with { EmployeeId = id }, ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("SaveFiscalEmployee").WithSummary("Replace an employee")
            .Produces<FiscalEmployeeDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        employees.MapDelete("/{id:guid}", async (IMediator m, Guid id, CancellationToken ct) =>
            {
                await m.Send(new DeleteFiscalEmployeeCommand(id), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("DeleteFiscalEmployee").WithSummary("Remove an employee")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        var orders = api.MapGroup("/orders/{id:guid}").WithTags("Fiscal");
        orders.MapPost("/mark-paid", async (IMediator m, Guid id, MarkOrderPaidCommand? body, ClaimsPrincipal user, CancellationToken ct) =>
                TypedResults.Accepted($"/api/orders/{id}/receipts",
                    await m.Send((body ?? new MarkOrderPaidCommand()) with { OrderId = id, UserName = user.Identity?.Name, Actor = user.Actor() }, ct)))
            .WithName("MarkOrderPaid").WithSummary("Record a cash or card payment; with the point's fiscal switch on, queue the sale receipt in the acting user's name")
            .Produces<MarkOrderPaidResult>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        orders.MapPost("/refunds", async (IMediator m, Guid id, RefundOrderCommand? body, ClaimsPrincipal user, CancellationToken ct) =>
                TypedResults.Accepted($"/api/orders/{id}/receipts",
                    await m.Send((body ?? new RefundOrderCommand()) with { OrderId = id, UserName = user.Identity?.Name, Actor = user.Actor() }, ct)))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("RefundOrder").WithSummary("Queue a return receipt linked to the sale: everything left, or the chosen goods by index")
            .Produces<ReceiptDto>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        orders.MapGet("/receipts", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetOrderReceiptsQuery(id), ct))
            .WithName("GetOrderReceipts").WithSummary("The order's fiscal receipts (sale and returns) with state, fiscal number, tax-service link and content")
            .Produces<IReadOnlyList<ReceiptDto>>().ProducesProblem(StatusCodes.Status404NotFound);

        var receipts = api.MapGroup("/receipts").WithTags("Fiscal");
        receipts.MapGet("/{id:guid}", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetReceiptQuery(id), ct))
            .WithName("GetReceipt").WithSummary("One fiscal receipt")
            .Produces<ReceiptDto>().ProducesProblem(StatusCodes.Status404NotFound);
        receipts.MapPost("/{id:guid}/retry", async (IMediator m, Guid id, ClaimsPrincipal user, CancellationToken ct) =>
                TypedResults.Accepted($"/api/receipts/{id}", await m.Send(new RetryReceiptCommand(id, user.Identity?.Name, user.Actor()), ct)))
            .WithName("RetryReceipt").WithSummary("Send a receipt in Error again with the same id, in the acting user's name")
            .Produces<ReceiptDto>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        receipts.MapPost("/{id:guid}/mark-found", (IMediator m, Guid id, MarkReceiptFoundCommand body, ClaimsPrincipal user, CancellationToken ct) =>
                m.Send(body with { ReceiptId = id, Actor = user.Actor() }, ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("MarkReceiptFound").WithSummary("An Unclear receipt is in the provider's cabinet: Successful with its fiscal number, nothing sent (audited)")
            .Produces<ReceiptDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        receipts.MapPost("/{id:guid}/send-again", async (IMediator m, Guid id, ClaimsPrincipal user, CancellationToken ct) =>
                TypedResults.Accepted($"/api/receipts/{id}", await m.Send(new SendReceiptAgainCommand(id, user.Actor()), ct)))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("SendReceiptAgain").WithSummary("An Unclear receipt is not in the provider's cabinet: send it again (audited)")
            .Produces<ReceiptDto>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
