"""Calls to join are for visitors: the join page's menu link and the calls to action that lead
to sign-up are hidden from signed-in people (who see the way to their space instead)."""

import json

import wagtail.fields
from django.db import migrations, models

JOIN_SLUG = "adherer"
SIGN_UP_URLS = ("/comptes/signup/", "/nous-rejoindre/")


def mark_calls_to_join(apps, schema_editor):
    StandardPage = apps.get_model("home", "StandardPage")
    HomePage = apps.get_model("home", "HomePage")
    join_pages = set(StandardPage.objects.filter(slug=JOIN_SLUG).values_list("pk", flat=True))
    StandardPage.objects.filter(pk__in=join_pages).update(visitors_only=True)
    for model in (HomePage, StandardPage):
        for pk, body in model.objects.values_list("pk", "body"):
            blocks = body.get_prep_value() if body else []
            changed = False
            for block in blocks:
                value = block.get("value") or {}
                if block.get("type") == "call_to_action" and (
                    value.get("link_page") in join_pages
                    or (value.get("link_url") or "").endswith(SIGN_UP_URLS)
                ):
                    value["audience"] = "visitors"
                    changed = True
            if changed:
                model.objects.filter(pk=pk).update(body=json.dumps(blocks))


class Migration(migrations.Migration):

    dependencies = [
        ('home', '0004_journey_figures_block'),
    ]

    operations = [
        migrations.AddField(
            model_name='standardpage',
            name='visitors_only',
            field=models.BooleanField(default=False, help_text="Le lien du menu n'est montré qu'aux visiteurs non connectés (« Adhérer au réseau ») ; la page reste ouverte à tous.", verbose_name='menu des visiteurs seulement'),
        ),
        migrations.AlterField(
            model_name='homepage',
            name='body',
            field=wagtail.fields.StreamField([('heading', 0), ('paragraph', 1), ('image', 2), ('call_to_action', 9), ('figures', 15), ('journey_figures', 17)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'form_classname': 'title', 'label': 'intertitre', 'template': 'home/blocks/heading.html'}), 1: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'document-link', 'ol', 'ul', 'h3'], 'label': 'paragraphe'}), 2: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'image', 'template': 'home/blocks/image.html'}), 3: ('wagtail.blocks.CharBlock', (), {'label': 'titre'}), 4: ('wagtail.blocks.TextBlock', (), {'label': 'texte', 'required': False}), 5: ('wagtail.blocks.PageChooserBlock', (), {'label': 'page liée', 'required': False}), 6: ('wagtail.blocks.URLBlock', (), {'label': 'ou adresse', 'required': False}), 7: ('wagtail.blocks.CharBlock', (), {'label': 'libellé du lien'}), 8: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('everyone', 'tout le monde'), ('visitors', 'aux visiteurs non connectés seulement')], 'help_text': "Un appel à adhérer ne sert qu'aux visiteurs : à sa place, une personne connectée voit le chemin de son espace (ou de son adhésion en attente).", 'label': 'montré à'}), 9: ('wagtail.blocks.StructBlock', [[('title', 3), ('text', 4), ('link_page', 5), ('link_url', 6), ('link_label', 7), ('audience', 8)]], {}), 10: ('wagtail.blocks.CharBlock', (), {'help_text': 'Par exemple « 195 ».', 'label': 'chiffre', 'max_length': 20}), 11: ('wagtail.blocks.CharBlock', (), {'label': 'légende', 'max_length': 120}), 12: ('wagtail.blocks.StructBlock', [[('value', 10), ('label', 11)]], {}), 13: ('wagtail.blocks.ListBlock', (12,), {'label': 'chiffres', 'min_num': 1}), 14: ('wagtail.blocks.CharBlock', (), {'help_text': "Par exemple « Rapport d'activité 2025 ».", 'label': 'source', 'required': False}), 15: ('wagtail.blocks.StructBlock', [[('title', 3), ('figures', 13), ('source', 14)]], {}), 16: ('wagtail.blocks.MultipleChoiceBlock', [], {'choices': [('received', 'communes candidates'), ('prefiguration', 'études de préfiguration'), ('definition', 'projets définis'), ('recrutement', 'recrutements de gérant·es'), ('ouverture', "accompagnements à l'ouverture"), ('in_operation', 'cafés suivis en exploitation'), ('prestations', "prestations de l'équipe")], 'label': 'chiffres affichés'}), 17: ('wagtail.blocks.StructBlock', [[('shown', 16)]], {})}, verbose_name='contenu'),
        ),
        migrations.AlterField(
            model_name='standardpage',
            name='body',
            field=wagtail.fields.StreamField([('heading', 0), ('paragraph', 1), ('image', 2), ('call_to_action', 9), ('figures', 15), ('journey_figures', 17)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'form_classname': 'title', 'label': 'intertitre', 'template': 'home/blocks/heading.html'}), 1: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'document-link', 'ol', 'ul', 'h3'], 'label': 'paragraphe'}), 2: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'image', 'template': 'home/blocks/image.html'}), 3: ('wagtail.blocks.CharBlock', (), {'label': 'titre'}), 4: ('wagtail.blocks.TextBlock', (), {'label': 'texte', 'required': False}), 5: ('wagtail.blocks.PageChooserBlock', (), {'label': 'page liée', 'required': False}), 6: ('wagtail.blocks.URLBlock', (), {'label': 'ou adresse', 'required': False}), 7: ('wagtail.blocks.CharBlock', (), {'label': 'libellé du lien'}), 8: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('everyone', 'tout le monde'), ('visitors', 'aux visiteurs non connectés seulement')], 'help_text': "Un appel à adhérer ne sert qu'aux visiteurs : à sa place, une personne connectée voit le chemin de son espace (ou de son adhésion en attente).", 'label': 'montré à'}), 9: ('wagtail.blocks.StructBlock', [[('title', 3), ('text', 4), ('link_page', 5), ('link_url', 6), ('link_label', 7), ('audience', 8)]], {}), 10: ('wagtail.blocks.CharBlock', (), {'help_text': 'Par exemple « 195 ».', 'label': 'chiffre', 'max_length': 20}), 11: ('wagtail.blocks.CharBlock', (), {'label': 'légende', 'max_length': 120}), 12: ('wagtail.blocks.StructBlock', [[('value', 10), ('label', 11)]], {}), 13: ('wagtail.blocks.ListBlock', (12,), {'label': 'chiffres', 'min_num': 1}), 14: ('wagtail.blocks.CharBlock', (), {'help_text': "Par exemple « Rapport d'activité 2025 ».", 'label': 'source', 'required': False}), 15: ('wagtail.blocks.StructBlock', [[('title', 3), ('figures', 13), ('source', 14)]], {}), 16: ('wagtail.blocks.MultipleChoiceBlock', [], {'choices': [('received', 'communes candidates'), ('prefiguration', 'études de préfiguration'), ('definition', 'projets définis'), ('recrutement', 'recrutements de gérant·es'), ('ouverture', "accompagnements à l'ouverture"), ('in_operation', 'cafés suivis en exploitation'), ('prestations', "prestations de l'équipe")], 'label': 'chiffres affichés'}), 17: ('wagtail.blocks.StructBlock', [[('shown', 16)]], {})}, verbose_name='contenu'),
        ),
        migrations.RunPython(mark_calls_to_join, migrations.RunPython.noop),
    ]
