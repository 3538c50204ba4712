using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Fiscal.Receipts;

public sealed record GetOrderReceiptsQuery(Guid OrderId) : IRequest<IReadOnlyList<ReceiptDto>>;

public sealed class GetOrderReceiptsHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<GetOrderReceiptsQuery, IReadOnlyList<ReceiptDto>>
{
    public async Task<IReadOnlyList<ReceiptDto>> Handle(GetOrderReceiptsQuery request, CancellationToken cancellationToken)
    {
        var companyId = await db.Orders.Where(o => o.Id == request.OrderId).Select(o => (Guid?)o.CompanyId).FirstOrDefaultAsync(cancellationToken)
                        ?? throw ProblemException.NotFound("Order", request.OrderId);
        await access.EnsureCanSeeAsync(companyId, "Order", request.OrderId, cancellationToken);
        var receipts = await db.FiscalReceipts.AsNoTracking().Where(r => r.OrderId == request.OrderId).ToListAsync(cancellationToken);
        return await ReceiptProblemText.InLanguageAsync(db, receipts.OrderBy(r => r.CreatedAt).ThenBy(r => r.Kind).Select(ReceiptDto.From).ToList(),
            MessageCatalog.CurrentLanguage, cancellationToken);
    }
}
