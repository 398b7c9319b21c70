from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titre", max_length=120)
    text = blocks.TextBlock(label="Texte", required=False)
    page = blocks.PageChooserBlock(label="Page liée", required=False)
    url = blocks.URLBlock(label="ou adresse externe", required=False)
    link_text = blocks.CharBlock(label="Texte du lien", max_length=60, default="En savoir plus")

    class Meta:
        icon = "link"
        label = "Appel à l'action"
        template = "home/blocks/call_to_action_block.html"


class BodyStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label="Intertitre", icon="title", form_classname="title", template="home/blocks/heading_block.html"
    )
    paragraph = blocks.RichTextBlock(label="Paragraphe", icon="pilcrow")
    image = ImageBlock(label="Image")
    call_to_action = CallToActionBlock()
