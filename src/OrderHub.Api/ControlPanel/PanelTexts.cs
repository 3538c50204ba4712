namespace OrderHub.Api.ControlPanel;

/// <summary>The texts of the layout, sign-in, sign-out and home screens.</summary>
public static class PanelTexts
{
    public static Dictionary<string, (string Uk, string En)> Base => new()
    {
        ["app.name"] = ("OrderHub", "OrderHub"),
        ["layout.language"] = ("Мова", "Language"),
        ["layout.signOut"] = ("Вийти", "Sign out"),
        ["layout.timeZone"] = ("Час у панелі: {0}", "Times in the panel: {0}"),
        ["layout.home"] = ("Головна", "Home"),
        ["nav.hierarchy"] = ("Компанії й точки", "Companies and points"),
        ["nav.users"] = ("Користувачі", "Users"),
        ["nav.audit"] = ("Журнал змін", "Audit log"),
        ["signin.title"] = ("Вхід", "Sign in"),
        ["signin.login"] = ("Логін", "Login name"),
        ["signin.password"] = ("Пароль", "Password"),
        ["signin.submit"] = ("Увійти", "Sign in"),
        ["signin.failed"] = ("Неправильний логін або пароль.", "Wrong login name or password."),
        ["signin.lockedOut"] = ("Забагато невдалих спроб. Вхід заблоковано до {0:HH:mm}; адміністратор може розблокувати раніше.",
            "Too many failed attempts. Sign-in is locked until {0:HH:mm}; an admin can unlock it sooner."),
        ["signin.required"] = ("Введіть логін і пароль.", "Enter your login name and password."),
        ["signedOut"] = ("Ви вийшли.", "You have signed out."),
        ["home.title"] = ("Панель керування", "Control panel"),
        ["home.greeting"] = ("Вітаємо, {0}", "Welcome, {0}"),
        ["home.login"] = ("Логін", "Login name"),
        ["home.role"] = ("Роль", "Role"),
        ["home.companies"] = ("Компанії", "Companies"),
        ["home.allCompanies"] = ("Усі компанії", "All companies"),
        ["home.noCompanies"] = ("Жодної компанії ще не призначено.", "No company assigned yet."),
        ["role.admin"] = ("адміністратор", "admin"),
        ["role.manager"] = ("менеджер", "manager"),
        ["role.support"] = ("підтримка", "support"),
        ["denied.title"] = ("Немає доступу", "Access denied"),
        ["denied.text"] = ("Ваша роль не дозволяє цю дію.", "Your role does not allow this."),
    };
}
