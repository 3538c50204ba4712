using MediatR;
using OrderHub.Api.Features.Telegram.CreateChatCode;
using OrderHub.Api.Features.Telegram.SaveTelegramBot;
using OrderHub.Api.Features.Telegram.TelegramChats;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Telegram;

public static class TelegramEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var company = api.MapGroup("/companies/{id:guid}").WithTags("Telegram");
        company.MapGet("/telegram-bot", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetTelegramBotQuery(id), ct))
            .WithName("GetTelegramBot").WithSummary("The company's Telegram bot; the token only as hasToken")
            .Produces<TelegramBotDto>().ProducesProblem(StatusCodes.Status404NotFound);
        company.MapPut("/telegram-bot", (IMediator m, Guid id, SaveTelegramBotCommand command, CancellationToken ct) => m.Send(command with { CompanyId = id }, ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("SaveTelegramBot").WithSummary("Connect or change the company's bot; the token is checked with Telegram and write-only")
            .Produces<TelegramBotDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway);
        company.MapPost("/telegram-chat-codes", (IMediator m, Guid id, CreateChatCodeCommand command, CancellationToken ct) => m.Send(command with { CompanyId = id }, ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("CreateTelegramChatCode").WithSummary("A one-time code: '/start CODE' in a chat connects it to a pickup point or as the owners' chat")
            .Produces<ChatCodeDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        company.MapGet("/telegram-chats", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetTelegramChatsQuery(id), ct))
            .WithName("GetTelegramChats").WithSummary("The company's registered chats and what each gets")
            .Produces<IReadOnlyList<TelegramChatDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        company.MapPost("/telegram-chats", async (IMediator m, Guid id, AddTelegramChatCommand command, CancellationToken ct) =>
            {
                var chat = await m.Send(command with { CompanyId = id }, ct);
                return TypedResults.Created($"/api/telegram-chats/{chat.Id}", chat);
            })
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("AddTelegramChat").WithSummary("Register a chat by its Telegram chat id")
            .Produces<TelegramChatDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var chats = api.MapGroup("/telegram-chats/{id:guid}").WithTags("Telegram");
        chats.MapPut("/", (IMediator m, Guid id, UpdateTelegramChatCommand command, CancellationToken ct) => m.Send(command with { Id = id }, ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("UpdateTelegramChat").WithSummary("Change which alerts and reports a chat gets, its report time and thresholds")
            .Produces<TelegramChatDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        chats.MapDelete("/", async (IMediator m, Guid id, CancellationToken ct) =>
            {
                await m.Send(new DeleteTelegramChatCommand(id), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("DeleteTelegramChat").WithSummary("Stop sending to a chat")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }
}
