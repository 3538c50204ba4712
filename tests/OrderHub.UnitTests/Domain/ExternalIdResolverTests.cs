using OrderHub.Domain.Mappings;
using OrderHub.Domain.Orders;

namespace OrderHub.UnitTests.Domain;

public sealed class ExternalIdResolverTests
{
    private static readonly Guid Company = Guid.NewGuid();
    private static readonly Guid Point = Guid.NewGuid();
    private static readonly Guid OtherPoint = Guid.NewGuid();

    private static ExternalIdMapping Map(ExternalIdKind kind, string dotsId, string externalId, Guid? point = null) => new()
    {
        CompanyId = Company,
        PickupPointId = point,
        ScopeId = ExternalIdMapping.ScopeFor(Company, point),
        Kind = kind,
        DotsId = dotsId,
        ExternalId = externalId,
    };

    [Fact]
    public void A_point_override_wins_over_the_company_default()
    {
        var resolver = new ExternalIdResolver(
            [Map(ExternalIdKind.Product, "p1", "100"), Map(ExternalIdKind.Product, "p1", "900", Point)], Point, useCompanyDefaultsOnly: false);

        resolver.Resolve(ExternalIdKind.Product, "p1", "Pizza").ShouldBe("900");
    }

    [Fact]
    public void A_point_that_uses_company_defaults_ignores_its_overrides()
    {
        var resolver = new ExternalIdResolver(
            [Map(ExternalIdKind.Product, "p1", "100"), Map(ExternalIdKind.Product, "p1", "900", Point)], Point, useCompanyDefaultsOnly: true);

        resolver.Resolve(ExternalIdKind.Product, "p1", "Pizza").ShouldBe("100");
    }

    [Fact]
    public void Company_defaults_fill_what_the_point_does_not_override()
    {
        var resolver = new ExternalIdResolver(
            [Map(ExternalIdKind.Product, "p1", "100"), Map(ExternalIdKind.Modifier, "m1", "5", Point)], Point, useCompanyDefaultsOnly: false);

        resolver.Resolve(ExternalIdKind.Product, "p1", "Pizza").ShouldBe("100");
        resolver.Resolve(ExternalIdKind.Modifier, "m1", "Cheese").ShouldBe("5");
        resolver.Missing.ShouldBeEmpty();
    }

    [Fact]
    public void Another_points_override_never_applies()
    {
        var resolver = new ExternalIdResolver([Map(ExternalIdKind.Product, "p1", "900", OtherPoint)], Point, useCompanyDefaultsOnly: false);

        resolver.Resolve(ExternalIdKind.Product, "p1", "Pizza").ShouldBeNull();
        resolver.Missing.Single().ShouldBe(new MissingExternalId(ExternalIdKind.Product, "p1", "Pizza"));
    }

    [Fact]
    public void The_same_dots_id_of_another_kind_is_another_item()
    {
        var resolver = new ExternalIdResolver([Map(ExternalIdKind.Product, "x", "1")], Point, useCompanyDefaultsOnly: false);

        resolver.Resolve(ExternalIdKind.Variant, "x", "X").ShouldBeNull();
        resolver.Missing.Single().Kind.ShouldBe(ExternalIdKind.Variant);
    }

    [Fact]
    public void An_order_resolves_every_line_variant_modifier_and_promotion_and_lists_each_missing_item_once()
    {
        var order = new Order { Lines = [Line("p1", "v1", "m1"), Line("p1", null, "m1")], Promotions = [new OrderPromotion { DotsPromotionId = "promo", Name = "Promo" }] };
        var resolver = new ExternalIdResolver([Map(ExternalIdKind.Product, "p1", "100"), Map(ExternalIdKind.Variant, "v1", "101")], Point, false);

        var missing = order.ResolveExternalIds(resolver);

        order.Lines.Select(l => l.ExternalProductId).ShouldBe(["100", "100"]);
        order.Lines[0].ExternalVariantId.ShouldBe("101");
        missing.Select(m => (m.Kind, m.DotsId)).ShouldBe([(ExternalIdKind.Modifier, "m1"), (ExternalIdKind.Promotion, "promo")]);
    }

    private static OrderLine Line(string product, string? variant, string modifier) => new()
    {
        DotsProductId = product,
        DotsVariantId = variant,
        Name = product,
        Quantity = 1,
        Modifiers = [new OrderLineModifier { DotsModifierId = modifier, Name = modifier, Quantity = 1 }],
    };
}
