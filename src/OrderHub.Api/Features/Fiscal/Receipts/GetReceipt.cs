using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Fiscal.Receipts;

public sealed record GetReceiptQuery(Guid ReceiptId) : IRequest<ReceiptDto>;

public sealed class GetReceiptHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<GetReceiptQuery, ReceiptDto>
{
    public async Task<ReceiptDto> Handle(GetReceiptQuery request, CancellationToken cancellationToken)
    {
        var receipt = await db.FiscalReceipts.AsNoTracking().FirstOrDefaultAsync(r => r.Id == request.ReceiptId, cancellationToken)
                      ?? throw ProblemException.NotFound("Receipt", request.ReceiptId);
        await access.EnsureCanSeeAsync(receipt.CompanyId, "Receipt", request.ReceiptId, cancellationToken);
        return (await ReceiptProblemText.InLanguageAsync(db, [ReceiptDto.From(receipt)], MessageCatalog.CurrentLanguage, cancellationToken))[0];
    }
}
