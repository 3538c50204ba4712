using Refit;

namespace OrderHub.Integrations.Poster;

/// <summary>
/// Poster's HTTP API (poster.md). Every method answers the raw response: Poster reports most errors with HTTP 200
/// and an <c>error</c> body in two shapes, numbers often as strings, so <see cref="PosterClient"/> judges the body.
/// The account's address is per request: <paramref name="account"/> goes into the request's options and
/// <see cref="PosterAccountHandler"/> puts the request under <see cref="PosterOptions.BaseUrlTemplate"/> for it.
/// </summary>
public interface IPosterApi
{
    [Post("/incomingOrders.createIncomingOrder")]
    Task<HttpResponseMessage> CreateIncomingOrderAsync(
        [Property(PosterAccountHandler.AccountKey)] string account, [Property(PosterAccountHandler.CircuitKey)] string circuit,
        [Query] string token, [Body] PosterIncomingOrderRequest order, CancellationToken cancellationToken);

    /// <summary>Online orders received between two wall-clock times of the account (<c>yyyy-MM-dd HH:mm:ss</c>).</summary>
    [Get("/incomingOrders.getIncomingOrders")]
    Task<HttpResponseMessage> GetIncomingOrdersAsync(
        [Property(PosterAccountHandler.AccountKey)] string account, [Property(PosterAccountHandler.CircuitKey)] string circuit,
        [Query] string token, [AliasAs("date_from")] string dateFrom, [AliasAs("date_to")] string dateTo, CancellationToken cancellationToken);

    [Get("/incomingOrders.getIncomingOrder")]
    Task<HttpResponseMessage> GetIncomingOrderAsync(
        [Property(PosterAccountHandler.AccountKey)] string account, [Property(PosterAccountHandler.CircuitKey)] string circuit,
        [Query] string token, [AliasAs("incoming_order_id")] string incomingOrderId, CancellationToken cancellationToken);

    [Get("/dash.getTransaction")]
    Task<HttpResponseMessage> GetTransactionAsync(
        [Property(PosterAccountHandler.AccountKey)] string account, [Property(PosterAccountHandler.CircuitKey)] string circuit,
        [Query] string token, [AliasAs("transaction_id")] string transactionId, CancellationToken cancellationToken);

    [Get("/dash.getTransactionHistory")]
    Task<HttpResponseMessage> GetTransactionHistoryAsync(
        [Property(PosterAccountHandler.AccountKey)] string account, [Property(PosterAccountHandler.CircuitKey)] string circuit,
        [Query] string token, [AliasAs("transaction_id")] string transactionId, CancellationToken cancellationToken);

    [Get("/access.getSpots")]
    Task<HttpResponseMessage> GetSpotsAsync(
        [Property(PosterAccountHandler.AccountKey)] string account, [Property(PosterAccountHandler.CircuitKey)] string circuit,
        [Query] string token, CancellationToken cancellationToken);

    [Get("/menu.getProducts")]
    Task<HttpResponseMessage> GetProductsAsync(
        [Property(PosterAccountHandler.AccountKey)] string account, [Property(PosterAccountHandler.CircuitKey)] string circuit,
        [Query] string token, CancellationToken cancellationToken);
}
