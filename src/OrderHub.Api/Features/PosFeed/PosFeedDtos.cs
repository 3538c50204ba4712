namespace OrderHub.Api.Features.PosFeed;

/// <summary>
/// One message of the feed, exactly as it was pushed: <see cref="Body"/> is the raw JSON text, signed like a push
/// (Standard Webhooks over <c>{webhookId}.{webhookTimestamp}.{body}</c> with the integration's secret).
/// </summary>
/// <param name="Cursor">This message's place in the feed: acknowledge it, or read <c>after</c> it.</param>
/// <param name="WebhookId">The push's <c>webhook-id</c>: deduplicate by it (a pushed message is in the feed too).</param>
/// <param name="WebhookTimestamp">Unix seconds of this read (the signature's timestamp).</param>
/// <param name="WebhookSignature"><c>v1,&lt;base64 HMAC-SHA256&gt;</c>, as the push's header.</param>
/// <param name="Type"><c>pos-order</c> or <c>pos-order.cancelled</c>.</param>
/// <param name="Body">The message body as the exact text pushed; verify over its UTF-8 bytes.</param>
public sealed record PosFeedMessageDto(long Cursor, string WebhookId, string WebhookTimestamp, string WebhookSignature, string Type, string Body);

/// <summary>A page of the feed, oldest first.</summary>
/// <param name="Cursor">The last message's cursor (or the <c>after</c> read from when the page is empty): read on after it.</param>
/// <param name="HasMore">More messages wait after this page.</param>
/// <param name="AckedCursor">The position the receiver acknowledged last (0 when never).</param>
public sealed record PosFeedPageDto(IReadOnlyList<PosFeedMessageDto> Messages, long Cursor, bool HasMore, long AckedCursor);

/// <summary>The receiver's acknowledgement: it has stored every message up to and including <paramref name="Cursor"/>.</summary>
public sealed record PosFeedAck(long Cursor);

/// <summary>A feed's state for support staff and the receiver: where the receiver is and how far behind.</summary>
/// <param name="LatestCursor">The newest message's cursor (0 when the feed is empty).</param>
/// <param name="Behind">Messages after the acknowledged cursor.</param>
public sealed record PosFeedStatusDto(Guid IntegrationId, long AckedCursor, DateTimeOffset? AckedAt, long LatestCursor, int Behind, DateTimeOffset? OldestUnackedAt);
