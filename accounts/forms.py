from wagtail.users.forms import UserCreationForm, UserEditForm


class SangsaengUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"organisation"}


class SangsaengUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"organisation"}
