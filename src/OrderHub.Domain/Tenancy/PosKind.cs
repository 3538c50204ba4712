namespace OrderHub.Domain.Tenancy;

public enum PosKind
{
    /// <summary>Poster POS, through its HTTP API (<c>incomingOrders.createIncomingOrder</c>).</summary>
    Poster,

    /// <summary>Any POS that accepts OrderHub's signed <c>pos-order v1</c> webhook.</summary>
    Webhook,
}
