namespace OrderHub.Domain.Orders;

public sealed class OrderLine
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrderId { get; set; }

    /// <summary>0-based position in the Dots order, so lines keep their order.</summary>
    public int Position { get; set; }

    public string DotsProductId { get; set; } = "";

    public string? DotsVariantId { get; set; }

    public string Name { get; set; } = "";

    public decimal Quantity { get; set; }

    /// <summary>Unit price without modifiers, in currency units.</summary>
    public decimal Price { get; set; }

    public string? ExternalProductId { get; set; }

    public string? ExternalVariantId { get; set; }

    public List<OrderLineModifier> Modifiers { get; set; } = [];

    /// <summary>quantity × (price + Σ modifier quantity × modifier price); modifier quantity is per unit.</summary>
    public decimal LineTotal => Quantity * (Price + Modifiers.Sum(m => m.Quantity * m.Price));
}

public sealed class OrderLineModifier
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrderLineId { get; set; }

    public int Position { get; set; }

    public string DotsModifierId { get; set; } = "";

    public string? DotsGroupId { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Per unit of the line.</summary>
    public decimal Quantity { get; set; }

    public decimal Price { get; set; }

    public string? ExternalId { get; set; }
}

public sealed class OrderPromotion
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrderId { get; set; }

    public int Position { get; set; }

    public string DotsPromotionId { get; set; } = "";

    public string Name { get; set; } = "";

    public decimal Discount { get; set; }

    public string? ExternalId { get; set; }
}
